"""Project, enterprise and milestone services: permissions, versions, audit, milestone order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daiban.accounts.permissions import NotPermitted
from daiban.audit.models import AuditEntry
from daiban.audit.selectors import audit_for_project
from daiban.audit.services import ConcurrentEditError
from daiban.core.catalogue import PROJECT_FACTS
from daiban.core.errors import DomainError
from daiban.core.ids import uscc_with_check
from daiban.projects.models import Enterprise, Milestone, Project
from daiban.projects.services import (
    enterprise_create,
    enterprise_get_or_create,
    enterprise_update,
    milestone_kinds_sync,
    milestone_record,
    project_create,
    project_delete,
    project_facts,
    project_facts_missing,
    project_restore,
    project_set_light,
    project_update,
)

pytestmark = pytest.mark.django_db

USCC = uscc_with_check("91110115MA0000999")


# ------------------------------------------------------------------------------------------ projects


def test_dispatcher_creates_a_project_audited(dispatcher, butler, specialist, enterprise):
    project = project_create(
        actor=dispatcher,
        name="  新能源电池项目 ",
        project_code="2026-110115-89-01-012345",
        enterprise=enterprise,
        butler=butler,
        specialists=[specialist],
        total_investment="80000",
    )
    assert project.name == "新能源电池项目"
    assert project.total_investment == Decimal("80000")
    assert list(project.specialists.all()) == [specialist]
    entry = audit_for_project(user=dispatcher, project=project).get()
    assert entry.action == "create"
    assert entry.changes["specialists"] == [None, ["孙专员"]]
    assert entry.changes["butler"] == [None, "张三"]


@pytest.mark.parametrize("role", ["butler", "leader", "specialist", "enterprise", "no_role"])
def test_only_admin_and_dispatcher_create_projects(users, role):
    with pytest.raises(NotPermitted, match="没有新建项目的权限"):
        project_create(actor=users[role], name="越权项目")


def test_bad_project_code_is_refused(dispatcher):
    with pytest.raises(DomainError, match="项目代码"):
        project_create(actor=dispatcher, name="代码错误项目", project_code="2026-1101-89")


def test_project_code_is_unique_when_set(dispatcher, project):
    project_update(
        actor=dispatcher, project=project, expected_version=1, project_code="2026-110115-89-01-012345"
    )
    with pytest.raises(DomainError, match="项目代码"):
        project_create(actor=dispatcher, name="重复代码", project_code="2026-110115-89-01-012345")
    # Empty codes do not collide.
    project_create(actor=dispatcher, name="储备甲")
    project_create(actor=dispatcher, name="储备乙")


def test_butler_edits_own_project_not_others(butler, project, other_project):
    updated = project_update(actor=butler, project=project, expected_version=1, location="亦庄新城核心区")
    assert updated.location == "亦庄新城核心区" and updated.version == 2
    with pytest.raises(Project.DoesNotExist):
        project_update(actor=butler, project=other_project, expected_version=1, location="x")


def test_out_of_scope_and_read_only_roles(leader, specialist, project):
    with pytest.raises(NotPermitted):
        project_update(actor=leader, project=project, expected_version=1, location="x")
    with pytest.raises(NotPermitted):
        project_update(actor=specialist, project=project, expected_version=1, location="x")


def test_butler_cannot_reassign_the_team(butler, other_butler, project):
    with pytest.raises(NotPermitted, match="项目管家"):
        project_update(actor=butler, project=project, expected_version=1, butler=other_butler)


def test_stale_project_edit_is_refused_and_nothing_overwritten(butler, dispatcher, project):
    project_update(actor=dispatcher, project=project, expected_version=1, annual_plan=Decimal("20000"))
    with pytest.raises(ConcurrentEditError, match=r"该记录已被 钱调度 于 .* 修改，请刷新后重试"):
        project_update(actor=butler, project=project, expected_version=1, annual_plan=Decimal("1"))
    project.refresh_from_db()
    assert project.annual_plan == Decimal("20000.00")


def test_system_fields_are_refused(dispatcher, project):
    with pytest.raises(DomainError, match="由系统维护"):
        project_update(actor=dispatcher, project=project, expected_version=1, light="green")


def test_audit_trail_is_per_project_with_old_and_new(dispatcher, butler, project, other_project):
    project_update(actor=butler, project=project, expected_version=1, notes="首次走访")
    project_update(actor=dispatcher, project=project, expected_version=2, category="continuing", notes="")
    project_update(actor=dispatcher, project=other_project, expected_version=1, notes="别的项目")
    trail = list(audit_for_project(user=dispatcher, project=project))
    assert [entry.changes for entry in trail] == [
        {"category": ["new_start", "continuing"], "notes": ["首次走访", ""]},
        {"notes": ["", "首次走访"]},
    ]
    assert [entry.actor_name for entry in trail] == ["钱调度", "张三"]


def test_audit_trail_is_scoped(butler, other_project, enterprise_user, project):
    with pytest.raises(Project.DoesNotExist):
        audit_for_project(user=butler, project=other_project)
    project_update(actor=butler, project=project, expected_version=1, notes="内部备注")
    assert not audit_for_project(user=enterprise_user, project=project).exists()


def test_delete_and_restore(dispatcher, butler, project):
    with pytest.raises(NotPermitted):
        project_delete(actor=butler, project=project)
    project_delete(actor=dispatcher, project=project, expected_version=1)
    assert not Project.objects.filter(pk=project.pk).exists()
    with pytest.raises(Project.DoesNotExist):
        project_update(actor=dispatcher, project=project, expected_version=2, notes="x")
    restored = project_restore(actor=dispatcher, project=project)
    assert restored.version == 3 and Project.objects.filter(pk=project.pk).exists()
    assert [e.action for e in audit_for_project(user=dispatcher, project=project)] == ["restore", "delete"]


def test_set_light_does_not_bump_version_and_audits_changes_only(project):
    project_set_light(project=project, light="red", reasons=["办件逾期"])
    project_set_light(project=project, light="red", reasons=["办件逾期"])
    project.refresh_from_db()
    assert (project.light, project.light_reasons, project.version) == ("red", ["办件逾期"], 1)
    assert AuditEntry.objects.filter(project=project, action="system").count() == 1


# ------------------------------------------------------------------------------------------ facts


def test_project_facts_use_the_core_names(project):
    facts = project_facts(project)
    assert set(facts) == set(PROJECT_FACTS)
    assert facts["land_supply_mode"] == "land_with_scheme"
    assert facts["building_area_m2"] == Decimal("30000.00")
    assert project_facts_missing(project) == []


def test_missing_facts_are_named(project_factory):
    project = project_factory(land_supply_mode="", building_area_m2=None)
    assert project_facts(project)["land_supply_mode"] is None
    assert project_facts_missing(project) == [
        PROJECT_FACTS["land_supply_mode"].label,
        PROJECT_FACTS["building_area_m2"].label,
    ]


def test_model_choices_are_the_core_codes():
    for name in ("investment_type", "approval_mode", "land_supply_mode", "project_type", "eia_category"):
        codes = [code for code, _ in Project._meta.get_field(name).choices]
        assert codes == list(PROJECT_FACTS[name].choices), name


# ------------------------------------------------------------------------------------------ enterprises


def test_enterprise_get_or_create_by_uscc(dispatcher):
    created = enterprise_create(actor=dispatcher, uscc=USCC.lower(), name="新企业")
    assert created.uscc == USCC
    again, was_created = enterprise_get_or_create(actor=dispatcher, uscc=f" {USCC} ", name="别名")
    assert again.pk == created.pk and not was_created and again.name == "新企业"


def test_enterprise_bad_uscc(dispatcher):
    wrong = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位错误"):
        enterprise_create(actor=dispatcher, uscc=wrong, name="错码企业")


def test_deleted_enterprise_comes_back_by_uscc(dispatcher):
    from daiban.audit.services import soft_delete

    created = enterprise_create(actor=dispatcher, uscc=USCC, name="新企业")
    soft_delete(created, actor=dispatcher)
    again = enterprise_create(actor=dispatcher, uscc=USCC, name="新企业")
    assert again.pk == created.pk and not again.is_deleted


def test_enterprise_update_scoped_and_versioned(butler, dispatcher, enterprise, other_enterprise, project):
    enterprise_update(actor=butler, enterprise=enterprise, expected_version=1, contact_name="新联系人")
    with pytest.raises(Enterprise.DoesNotExist):
        enterprise_update(actor=butler, enterprise=other_enterprise, expected_version=1, contact_name="x")
    with pytest.raises(ConcurrentEditError, match="张三"):
        enterprise_update(actor=dispatcher, enterprise=enterprise, expected_version=1, contact_name="y")


# ------------------------------------------------------------------------------------------ milestones


def test_kinds_are_seeded_in_order(milestone_kinds):
    assert [kind.code for kind in milestone_kinds] == [
        "signed",
        "registered",
        "land_acquired",
        "started",
        "completed",
        "producing",
        "full_capacity",
    ]
    assert milestone_kinds_sync() == 0


def _reach(project, actor, *codes, start=dt.date(2026, 1, 5)):
    for offset, code in enumerate(codes):
        milestone_record(
            actor=actor, project=project, kind_code=code, actual_on=start + dt.timedelta(days=offset)
        )


def test_milestones_in_order_move_the_current_milestone(milestone_kinds, butler, project):
    _reach(project, butler, "signed", "registered")
    project.refresh_from_db()
    assert project.current_milestone == "registered"
    milestone = milestone_record(
        actor=butler, project=project, kind_code="started", planned_on=dt.date(2026, 6, 1)
    )
    assert milestone.actual_on is None
    project.refresh_from_db()
    assert project.current_milestone == "registered"


def test_milestone_before_its_predecessor_is_refused(milestone_kinds, butler, project):
    _reach(project, butler, "signed", "registered")
    with pytest.raises(DomainError, match="请先记录 拿地 的实际日期"):
        milestone_record(actor=butler, project=project, kind_code="started", actual_on=dt.date(2026, 2, 1))
    assert not Milestone.objects.filter(project=project, kind__code="started").exists()


def test_actual_date_earlier_than_previous_is_refused(milestone_kinds, butler, project):
    _reach(project, butler, "signed", "registered", "land_acquired")  # land acquired 2026-01-07
    with pytest.raises(
        DomainError, match="开工 的实际日期（2026-01-06）不能早于 拿地 的实际日期（2026-01-07）"
    ):
        milestone_record(actor=butler, project=project, kind_code="started", actual_on=dt.date(2026, 1, 6))


def test_moving_an_earlier_milestone_past_a_later_one_is_refused(milestone_kinds, butler, project):
    _reach(project, butler, "signed", "registered")
    with pytest.raises(DomainError, match="不能晚于 注册"):
        milestone_record(actor=butler, project=project, kind_code="signed", actual_on=dt.date(2026, 1, 20))


def test_milestone_edit_is_versioned(milestone_kinds, butler, dispatcher, project):
    _reach(project, butler, "signed")
    milestone = Milestone.objects.get(project=project, kind__code="signed")
    milestone_record(
        actor=dispatcher,
        project=project,
        kind_code="signed",
        actual_on=dt.date(2026, 1, 4),
        expected_version=1,
    )
    with pytest.raises(ConcurrentEditError):
        milestone_record(
            actor=butler,
            project=project,
            kind_code="signed",
            actual_on=dt.date(2026, 1, 3),
            expected_version=1,
        )
    milestone.refresh_from_db()
    assert milestone.actual_on == dt.date(2026, 1, 4)


def test_milestone_permissions_and_unknown_kind(milestone_kinds, other_butler, butler, project):
    with pytest.raises(Project.DoesNotExist):
        milestone_record(
            actor=other_butler, project=project, kind_code="signed", actual_on=dt.date(2026, 1, 5)
        )
    with pytest.raises(DomainError, match="未知的节点"):
        milestone_record(
            actor=butler, project=project, kind_code="moon_landing", actual_on=dt.date(2026, 1, 5)
        )
