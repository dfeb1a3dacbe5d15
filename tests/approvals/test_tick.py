"""The daily tick: SLA states, first overdue day, project lights, idempotence, bulk queries, the CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import case_extend, case_record_acceptance, case_record_submission, tick
from daiban.audit.models import AuditAction, AuditEntry
from daiban.cli import main
from daiban.core.errors import DomainError
from daiban.investment.models import MonthlyInvestment
from daiban.projects.models import Project

from .conftest import T0, case_of

pytestmark = pytest.mark.django_db


def accept(case, on: dt.date):
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=on)


def on_pace(project) -> None:
    """January and February reported at exactly 序时进度 (2/12 of the annual plan): investment is green."""
    share = project.annual_plan / 12
    for month in (1, 2):
        MonthlyInvestment.objects.create(project=project, year=2026, month=month, amount=share)


def test_overdue_state_and_its_first_day_are_kept(generated, clock, cal):
    case = accept(case_of(generated, "land_use_planning_permit"), T0)  # promised 5 working days
    due = cal.add_workdays(T0, 5)
    first = tick(today=due + dt.timedelta(days=1))
    case = ApprovalCase.objects.get(pk=case.pk)
    assert (case.sla_state, case.overdue_days, case.first_overdue_on, case.light) == (
        "overdue",
        1,
        due + dt.timedelta(days=1),
        "red",
    )
    assert first.newly_overdue == 1
    later = tick(today=due + dt.timedelta(days=3))
    case = ApprovalCase.objects.get(pk=case.pk)
    assert (case.overdue_days, case.first_overdue_on) == (3, due + dt.timedelta(days=1))
    assert later.newly_overdue == 0
    clock.set(due + dt.timedelta(days=3))
    case = case_extend(actor=None, case=case, expected_version=case.version, days=10)
    assert case.sla_state in ("normal", "warning") and case.overdue_days == 0
    assert case.first_overdue_on == due + dt.timedelta(days=1)  # history: it was overdue once


def test_warning_before_the_due_date(generated, clock, cal):
    case = accept(case_of(generated, "cultural_relic_survey"), T0)
    due = cal.add_workdays(T0, 20)
    tick(today=cal.add_workdays(due, -2))
    assert ApprovalCase.objects.get(pk=case.pk).sla_state == "warning"
    tick(today=cal.add_workdays(due, -3))
    assert ApprovalCase.objects.get(pk=case.pk).sla_state == "normal"


def test_project_light_turns_red_naming_the_overdue_critical_case(generated, clock, cal):
    on_pace(generated)
    first = tick(today=T0)
    assert Project.objects.get(pk=generated.pk).light == "green" and first.lights_changed == 1  # "" → green
    relic = accept(case_of(generated, "cultural_relic_survey"), T0)
    assert relic.critical
    result = tick(today=cal.add_workdays(T0, 21))
    project = Project.objects.get(pk=generated.pk)
    assert project.light == "red" and result.lights_changed == 1
    assert project.light_reasons[0]["light"] == "red"
    assert project.light_reasons[0]["text"] == f"{relic.name} 逾期 1 个工作日"
    change = AuditEntry.objects.filter(project=project, action=AuditAction.SYSTEM).latest("id")
    assert change.changes == {"light": ["green", "red"]}


def test_an_overdue_case_off_the_critical_path_gives_yellow(generated, clock, cal):
    on_pace(generated)
    eia = accept(case_of(generated, "eia_table"), T0)  # promised 10, float to spare
    assert not eia.critical
    tick(today=cal.add_workdays(T0, 11))
    project = Project.objects.get(pk=generated.pk)
    assert project.light == "yellow"
    assert "非关键路径" in project.light_reasons[0]["text"]


def test_tick_is_idempotent(generated, other_project, clock, cal):
    accept(case_of(generated, "land_use_planning_permit"), T0)
    accept(case_of(generated, "cultural_relic_survey"), T0)
    day = cal.add_workdays(T0, 8)
    first = tick(today=day)
    assert first.cases == 2 and first.newly_overdue == 1 and first.projects == 2
    snapshot = (
        list(ApprovalCase.objects.order_by("pk").values()),
        list(Project.objects.order_by("pk").values()),
    )
    audit = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        second = tick(today=day)
    assert (second.newly_overdue, second.lights_changed) == (0, 0)
    assert (
        list(ApprovalCase.objects.order_by("pk").values()),
        list(Project.objects.order_by("pk").values()),
    ) == (snapshot)
    assert AuditEntry.objects.count() == audit
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in ("UPDATE", "INSERT")
    ]
    assert writes == []


def test_tick_reads_in_bulk_whatever_the_number_of_projects(project_factory, clock, cal):
    from daiban.approvals.services import cases_generate

    def run(count: int) -> int:
        for _ in range(count):
            project = project_factory()
            cases_generate(actor=None, project=project)
            accept(case_of(project, "land_use_planning_permit"), T0)
            accept(case_of(project, "cultural_relic_survey"), T0)
        day = cal.add_workdays(T0, 6 + count)  # a new day for each run: every open case changes
        with CaptureQueriesContext(connection) as queries:
            result = tick(today=day)
        assert result.cases == 2 * Project.objects.count()
        return len(queries.captured_queries)

    assert run(2) == run(5)


def test_projects_of_another_year_are_not_judged_on_this_years_plan(generated, clock):
    Project.objects.filter(pk=generated.pk).update(year=2025, annual_plan=Decimal("50000"))
    tick(today=T0)
    assert Project.objects.get(pk=generated.pk).light == "green"


def test_behind_on_investment_is_red(generated, clock):
    tick(today=T0)  # nothing reported for January and February
    project = Project.objects.get(pk=generated.pk)
    assert project.light == "red"
    assert "序时进度" in project.light_reasons[0]["text"]


def test_unknown_rule_set_is_refused(db):
    with pytest.raises(DomainError, match="未知的红绿灯规则集"):
        tick(today=T0, rule_set="nope")


def test_cli_prints_a_summary_of_the_daily_run(generated, clock, capsys):
    accept(case_of(generated, "land_use_planning_permit"), T0)
    assert main(["tick", "--date", "2026-03-20"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.splitlines()[0].startswith("2026-03-20 评估办件 1 个，新增逾期 1 个")
    assert main(["tick", "--date", "2026-02-30"]) == 1
    assert "日期" in capsys.readouterr().err
