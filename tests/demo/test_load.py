"""Loading the demo district into the database (SQLite and PostgreSQL), at a small scale.

The district is loaded once for the module (about five seconds) and cleared afterwards; the tests read it.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Min
from django.test import override_settings

from daiban.accounts.models import User
from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.audit.models import AuditEntry
from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.ids import validate_uscc
from daiban.demo import demo_load, demo_load_if_empty, demo_logins
from daiban.demo.bulk import CaseRow, project_cases
from daiban.demo.clearing import clear_for_demo
from daiban.demo.district import build_district
from daiban.demo.narrate import is_narrated
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.projects.models import Enterprise, Milestone, Project

SCALE = 30
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALL_STATES = {"not_started", "normal", "warning", "overdue", "suspended", "done_on_time", "done_late"}
CAL = WorkCalendar.default()

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        result = demo_load(scale=SCALE)
        yield result
        with transaction.atomic():
            clear_for_demo()


def snapshot() -> dict[str, list]:
    """What a user sees of the demo, without ids and load timestamps."""
    return {
        "projects": list(
            Project.objects.order_by("name").values_list(
                "name",
                "project_code",
                "category",
                "total_investment",
                "annual_plan",
                "light",
                "current_milestone",
            )
        ),
        "cases": list(
            ApprovalCase.objects.order_by("project__name", "item_code").values_list(
                "project__name",
                "item_code",
                "submitted_on",
                "accepted_on",
                "decided_on",
                "sla_state",
                "due_on",
                "agency_finish",
                "conventional_finish",
                "planned_finish",
                "critical",
            )
        ),
        "suspensions": sorted(
            CaseSuspension.objects.values_list("case__item_code", "start", "end", "reason")
        ),
        "milestones": sorted(
            Milestone.objects.values_list("project__name", "kind__code", "planned_on", "actual_on")
        ),
        "investment": sorted(
            MonthlyInvestment.objects.values_list("project__name", "month", "amount", "funds_in_place")
        ),
        "users": sorted(User.objects.values_list("username", "full_name", "role")),
        "enterprises": sorted(Enterprise.objects.values_list("name", "uscc")),
    }


def test_counts_follow_the_district(loaded):
    district = build_district(scale=SCALE)
    assert (loaded.projects, loaded.new_starts, loaded.continuing) == (30, 11, 19)
    assert Project.objects.count() == 30
    assert Project.objects.filter(category="new_start").count() == 11
    assert ApprovalCase.objects.count() == sum(len(spec.cases) for spec in district.projects) == loaded.cases
    assert User.objects.count() == len(district.users)
    total = sum(Project.objects.values_list("total_investment", flat=True))
    assert total == loaded.total_investment and abs(total - Decimal(50_000_000) * 30 / 217) < 50_000
    target = InvestmentTarget.objects.get(year=2026)
    assert target.amount == loaded.target and target.pacing[2] == pytest.approx(0.30)


def test_every_case_state_appears_with_an_overdue_case_on_the_critical_path(loaded):
    assert set(ApprovalCase.objects.values_list("sla_state", flat=True)) == ALL_STATES
    assert ApprovalCase.objects.filter(sla_state="overdue", critical=True).exists()
    suspended = ApprovalCase.objects.filter(sla_state="suspended")
    open_pauses = CaseSuspension.objects.filter(case__in=suspended, end__isnull=True)
    assert open_pauses.count() == suspended.count() and all(p.reason for p in open_pauses)


def test_lights_are_stored_in_all_three_colours(loaded):
    lights = Counter(Project.objects.values_list("light", flat=True))
    assert set(lights) == {"green", "yellow", "red"}
    assert lights["green"] > lights["red"]
    assert all(project.light_reasons for project in Project.objects.exclude(light="green"))


def test_the_showcase_took_47_working_days_from_first_acceptance_to_construction_permit(loaded):
    showcase = Project.objects.get(name="京南精工精密减速器智能工厂项目")
    cases = ApprovalCase.objects.filter(project=showcase)
    first = cases.aggregate(first=Min("accepted_on"))["first"]
    permit = cases.get(item_code="construction_permit")
    assert CAL.workdays_between(first, permit.decided_on) == 47
    assert showcase.light == "green" and showcase.current_milestone == "started"
    # Its conventional plan (statutory limits, stages in sequence) issues the permit much later.
    assert permit.conventional_finish > permit.agency_finish >= first


def test_usccs_are_valid(loaded):
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    assert usccs and all(validate_uscc(code) == code for code in usccs)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_demo_logins_work_for_every_role(loaded, client):
    assert [login.role for login in loaded.logins] == [
        "admin",
        "leader",
        "dispatcher",
        "butler",
        "specialist",
        "enterprise",
    ]
    for login in loaded.logins:
        assert client.login(username=login.username, password="daiban2026"), login.username
        assert User.objects.get(username=login.username).role == login.role
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_scripted_projects_have_a_per_event_audit_trail_and_bulk_tables_one_entry_each(loaded):
    showcase = Project.objects.get(name="京南精工精密减速器智能工厂项目")
    notes = set(AuditEntry.objects.filter(project=showcase).values_list("note", flat=True))
    assert {"记录受理", "记录办结（准予许可）"} <= notes
    butler = showcase.butler.display_name
    assert AuditEntry.objects.filter(project=showcase, actor_name=butler, note="记录受理").exists()
    bulk = AuditEntry.objects.filter(note="演示数据批量载入", model_label="approvals.approvalcase")
    assert bulk.count() == 1 and bulk.get().changes["rows"] > 0


def test_the_bulk_writer_writes_what_the_services_wrote(loaded):
    """For the scripted projects (recorded through the services), the bulk computation gives the same rows."""
    district = build_district(scale=SCALE)
    fields = ["submitted_on", "accepted_on", "decided_on", "result", "agency_start", "agency_finish"]
    fields += ["conventional_start", "conventional_finish", "planned_start", "planned_finish", "total_float"]
    fields += [
        "critical",
        "sla_state",
        "due_on",
        "statutory_due_on",
        "overdue_days",
        "light",
        "commitment_used",
    ]
    for spec in district.projects:
        if not is_narrated(spec):
            continue
        project = Project.objects.get(name=spec.name)
        stored = {case.item_code: case for case in ApprovalCase.objects.filter(project=project)}
        base = {field.attname: field.get_default() for field in ApprovalCase._meta.concrete_fields} | {
            "pk": None
        }
        computed: list[CaseRow] = project_cases(project.pk, spec, district, base)
        for row in computed:
            case = stored[row.item_code]
            assert {f: getattr(case, f) for f in fields} == {f: getattr(row, f) for f in fields}, (
                row.item_code
            )


def test_a_database_with_projects_is_refused_without_force(loaded):
    with pytest.raises(DomainError, match=r"已有 30 个项目.*--force"):
        demo_load(scale=SCALE)


def test_serve_demo_on_a_loaded_database_prints_the_logins_without_loading(loaded, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    lines: list[str] = []
    assert demo_load_if_empty(out=lines.append) is None
    assert "未重新载入" in lines[0] and len(lines) == 1 + len(demo_logins()) == 7
    assert any("enterprise" in line and "daiban2026" in line for line in lines)


def test_force_reloads_the_same_district(loaded, settings):
    """Determinism through the database: a forced reload with the same seed gives identical data."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    before = snapshot()
    result = demo_load(scale=SCALE, force=True)
    assert snapshot() == before
    assert result.cases == loaded.cases


def test_the_cli_refuses_in_one_line(loaded, monkeypatch, capsys):
    from daiban.cli import main

    monkeypatch.setattr("daiban.commands.init.prepare", lambda **kwargs: None)
    assert main(["demo", "--scale", "30"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("daiban demo: 错误: 数据库中已有 30 个项目") and "\n" not in err


def test_a_demo_username_taken_by_another_role_is_refused(loaded):
    with transaction.atomic():
        clear_for_demo()
    User.objects.create_user(username="butler", role="leader")
    with pytest.raises(DomainError, match="用户名 butler 已被占用（现有用户不是项目管家）"):
        demo_load(scale=10)
