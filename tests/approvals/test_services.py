"""Approval cases: generation from the handbook, recording progress, re-planning, SLA clocks, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.accounts.permissions import NotPermitted
from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.approvals.services import (
    case_extend,
    case_record_acceptance,
    case_record_decision,
    case_record_submission,
    case_resume,
    case_suspend,
    cases_generate,
)
from daiban.audit.models import AuditAction, AuditEntry
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError
from daiban.projects.models import Project

from .conftest import T0, case_of

pytestmark = pytest.mark.django_db


def accept(case, on: dt.date, actor=None):
    case = case_record_submission(actor=actor, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=actor, case=case, expected_version=case.version, accepted_on=on)


def codes(project) -> set[str]:
    return set(ApprovalCase.objects.filter(project=project).values_list("item_code", flat=True))


# ------------------------------------------------------------------------------------------ generation


def test_different_facts_give_visibly_different_cases(project, other_project, clock):
    Project.objects.filter(pk=other_project.pk).update(
        investment_type="government",
        approval_mode="examination",
        land_supply_mode="allocation",
        regional_assessment_done=True,
    )
    cases_generate(actor=None, project=project)
    cases_generate(actor=None, project=Project.objects.get(pk=other_project.pk))
    social, government = codes(project), codes(other_project)
    assert {"enterprise_filing", "cultural_relic_survey"} <= social - government
    assert {"gov_proposal", "land_preexam_siting"} <= government - social
    assert "construction_permit" in social & government


def test_generation_stores_both_baselines_and_the_agency_plan(generated, cal):
    cases = list(ApprovalCase.objects.filter(project=generated))
    assert len(cases) >= 15
    for case in cases:
        assert (
            case.conventional_start and case.conventional_finish and case.agency_start and case.agency_finish
        )
        assert (case.planned_start, case.planned_finish) == (case.agency_start, case.agency_finish)
        assert case.critical == case.agency_critical
        assert case.sla_state == "not_started"
    assert max(c.agency_finish for c in cases) < max(c.conventional_finish for c in cases)
    assert min(c.agency_start for c in cases) == T0
    critical = {c.item_code for c in cases if c.critical}
    assert {"project_code_assign", "construction_permit"} <= critical
    assert not case_of(generated, "eia_table").critical  # runs beside the chain with float
    assert case_of(generated, "eia_table").total_float > 0


def test_generated_case_keeps_its_handbook_copy_and_is_audited(generated):
    case = case_of(generated, "land_use_planning_permit")
    assert case.name and case.department_name and case.statutory_source and case.materials
    assert (case.statutory_days, case.promised_days, case.extension_days) == (20, 5, 10)
    assert case.prerequisites == ["land_transfer_contract"]
    created = AuditEntry.objects.filter(
        project=generated, action=AuditAction.CREATE, model_label="approvals.approvalcase"
    )
    assert created.count() == ApprovalCase.objects.filter(project=generated).count()
    entry = created.get(object_id=str(case.pk))
    assert entry.actor_name == "系统" and entry.changes["name"] == [None, case.name]


def test_rerun_after_facts_change_adds_removes_and_keeps_progress_and_baselines(generated, clock):
    relic = accept(case_of(generated, "cultural_relic_survey"), T0)
    permit_before = case_of(generated, "construction_permit")
    Project.objects.filter(pk=generated.pk).update(regional_assessment_done=True, approval_mode="approval")
    project = Project.objects.get(pk=generated.pk)
    cases_generate(actor=None, project=project)
    now = codes(project)
    assert {"enterprise_approval", "land_preexam_siting"} <= now  # newly applicable
    assert "enterprise_filing" not in now and "mineral_overlay" not in now  # untouched, no longer applicable
    assert "cultural_relic_survey" in now  # waived now, but has recorded progress: never removed
    assert ApprovalCase.objects.get(pk=relic.pk).accepted_on == T0
    removed = ApprovalCase.all_objects.get(project=project, item_code="enterprise_filing")
    assert removed.is_deleted
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(removed.pk)).exists()
    permit = case_of(project, "construction_permit")
    assert (permit.agency_start, permit.conventional_finish) == (
        permit_before.agency_start,
        permit_before.conventional_finish,
    )
    added = case_of(project, "enterprise_approval")
    assert added.agency_start and added.conventional_finish
    assert "land_preexam_siting" in added.prerequisites

    entries = AuditEntry.objects.count()
    cases_generate(actor=None, project=project)  # same facts again: nothing to record
    assert AuditEntry.objects.count() == entries

    Project.objects.filter(pk=project.pk).update(approval_mode="filing")
    cases_generate(actor=None, project=Project.objects.get(pk=project.pk))
    assert "enterprise_filing" in codes(project) and "enterprise_approval" not in codes(project)
    assert AuditEntry.objects.filter(action=AuditAction.RESTORE, object_id=str(removed.pk)).exists()


def test_project_creation_generates_the_cases(dispatcher, clock):
    from daiban.projects.services import project_create

    project = project_create(
        actor=dispatcher,
        name="亦庄新能源电池项目",
        investment_type="social",
        approval_mode="filing",
        land_supply_mode="standard_factory",
        project_type="industrial",
        eia_category="registration",
        total_investment="30000",
        building_area_m2="12000",
    )
    assert "construction_permit" in codes(project)


def test_plan_starts_at_land_acquisition(project, clock, milestone_kinds):
    from daiban.projects.models import Milestone, MilestoneKind

    land = MilestoneKind.objects.get(code="land_acquired")
    Milestone.objects.create(project=project, kind=land, planned_on=dt.date(2026, 4, 1))
    cases_generate(actor=None, project=project)
    assert min(
        ApprovalCase.objects.filter(project=project).values_list("agency_start", flat=True)
    ) == dt.date(2026, 4, 1)


# ------------------------------------------------------------------------------------------ re-planning


def test_acceptance_and_decision_replan_the_successors(generated, clock, cal):
    transfer_baseline = case_of(generated, "land_transfer_contract").planned_start
    accepted_on = clock.workdays_later(5)
    relic = accept(case_of(generated, "cultural_relic_survey"), accepted_on)
    assert (relic.planned_start, relic.planned_finish) == (accepted_on, cal.add_workdays(accepted_on, 20))
    transfer = case_of(generated, "land_transfer_contract")
    assert transfer.planned_start == relic.planned_finish > transfer_baseline  # five days late
    assert (
        case_of(generated, "construction_permit").planned_finish
        > case_of(generated, "construction_permit").agency_finish
    )

    decided_on = clock.workdays_later(3)
    relic = case_record_decision(
        actor=None, case=relic, expected_version=relic.version, decided_on=decided_on, result="approved"
    )
    assert relic.planned_finish == decided_on and relic.sla_state == "done_on_time"
    after = case_of(generated, "land_transfer_contract")
    assert after.planned_start < transfer.planned_start  # decided early: the successor moves up
    geo = case_of(generated, "geo_hazard_assessment")  # still open: now drives the transfer
    assert after.planned_start == geo.planned_finish == cal.add_workdays(decided_on, 10)


# ------------------------------------------------------------------------------------------ recording rules


def test_out_of_order_recording_is_refused(generated, clock):
    case = case_of(generated, "cultural_relic_survey")
    with pytest.raises(DomainError, match="尚未记录申报"):
        case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=T0)
    with pytest.raises(DomainError, match="尚未受理"):
        case_record_decision(
            actor=None, case=case, expected_version=case.version, decided_on=T0, result="approved"
        )
    with pytest.raises(DomainError, match="尚未受理"):
        case_suspend(actor=None, case=case, expected_version=case.version, start=T0, reason="supplement")
    clock.workdays_later(3)
    case = case_record_submission(
        actor=None, case=case, expected_version=case.version, submitted_on=clock.day
    )
    with pytest.raises(DomainError, match="不能早于申报日期"):
        case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=T0)
    with pytest.raises(DomainError, match="晚于今天"):
        case_record_acceptance(
            actor=None, case=case, expected_version=case.version, accepted_on=clock.day + dt.timedelta(days=1)
        )
    case = case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=clock.day)
    with pytest.raises(DomainError, match="不能早于受理日期"):
        case_record_decision(
            actor=None, case=case, expected_version=case.version, decided_on=T0, result="approved"
        )
    fresh = ApprovalCase.objects.get(pk=case.pk)
    assert fresh.version == case.version and fresh.decided_on is None


def test_suspension_shifts_the_due_date(generated, clock, cal):
    case = accept(case_of(generated, "cultural_relic_survey"), T0)  # promised 20 working days
    due = cal.add_workdays(T0, 20)
    assert case.due_on == due and case.sla_state == "normal"
    assert case.statutory_due_on == cal.add_workdays(T0, 30)  # the legal limit, kept beside the promise
    clock.set(dt.date(2026, 3, 4))
    case = case_suspend(
        actor=None,
        case=case,
        expected_version=case.version,
        start=clock.day,
        reason="supplement",
        note="补正图纸",
    )
    assert case.sla_state == "suspended"
    with pytest.raises(DomainError, match="已处于挂起状态"):
        case_suspend(actor=None, case=case, expected_version=case.version, start=clock.day, reason="testing")
    clock.set(dt.date(2026, 3, 6))
    case = case_resume(actor=None, case=case, expected_version=case.version, end=clock.day)
    assert case.due_on == cal.add_workdays(due, 3)  # Wednesday to Friday did not run the clock
    assert case.sla_state == "suspended"  # the day the condition is cleared is still suspended
    assert CaseSuspension.objects.get(case=case).end == clock.day
    promised, legal = planning.case_clock(case), planning.statutory_clock(case)
    assert (promised.limit, legal.limit, len(promised.suspensions)) == (20, 30, 1)


def test_extension_is_granted_once_and_only_within_the_items_allowance(generated, clock, cal):
    case = accept(case_of(generated, "land_use_planning_permit"), T0)  # promised 5, extension up to 10
    assert case.due_on == cal.add_workdays(T0, 5)
    with pytest.raises(DomainError, match="最多可延长 10 天"):
        case_extend(actor=None, case=case, expected_version=case.version, days=11)
    case = case_extend(actor=None, case=case, expected_version=case.version, days=10)
    assert case.due_on == cal.add_workdays(T0, 15)
    assert case.statutory_due_on == cal.add_workdays(T0, 30)
    with pytest.raises(DomainError, match="延期只能批准一次"):
        case_extend(actor=None, case=case, expected_version=case.version, days=5)
    filing = accept(case_of(generated, "enterprise_filing"), T0)
    with pytest.raises(DomainError, match="未规定可延期"):
        case_extend(actor=None, case=filing, expected_version=filing.version, days=5)


def test_a_stale_version_is_refused_and_nothing_is_written(generated, clock):
    case = case_of(generated, "cultural_relic_survey")
    seen = case.version
    case_record_submission(actor=None, case=case, expected_version=seen, submitted_on=T0)
    with pytest.raises(ConcurrentEditError, match="已被"):
        case_record_submission(
            actor=None, case=case, expected_version=seen, submitted_on=T0 - dt.timedelta(days=3)
        )
    assert ApprovalCase.objects.get(pk=case.pk).submitted_on == T0


def test_recording_is_audited_with_the_actor(generated, clock, butler):
    case = accept(case_of(generated, "cultural_relic_survey"), T0, actor=butler)
    entries = AuditEntry.objects.filter(object_id=str(case.pk), action=AuditAction.UPDATE).order_by(
        "at", "id"
    )
    assert [entry.note for entry in entries] == ["记录申报", "记录受理"]
    assert entries.last().actor == butler
    assert entries.last().changes["accepted_on"] == [None, T0.isoformat()]


def test_suspension_bumps_the_case_version_even_when_overdue(generated, clock):
    case = accept(case_of(generated, "project_code_assign"), T0)  # promised 0: due the day it is accepted
    clock.workdays_later(2)
    version = case.version
    case = case_suspend(actor=None, case=case, expected_version=version, start=clock.day, reason="hearing")
    assert case.version == version + 1
    with pytest.raises(ConcurrentEditError):
        case_resume(actor=None, case=case, expected_version=version, end=clock.day)


def test_who_may_record(generated, clock, users):
    case = case_of(generated, "cultural_relic_survey")
    for name in ("admin", "dispatcher", "butler", "specialist"):
        case = case_record_submission(actor=users[name], case=case, expected_version=None, submitted_on=T0)
    with pytest.raises(Project.DoesNotExist):  # out of scope: as if it did not exist
        case_record_submission(actor=users["other_butler"], case=case, expected_version=None, submitted_on=T0)
    for name in ("leader", "enterprise"):
        with pytest.raises(NotPermitted):
            case_record_submission(actor=users[name], case=case, expected_version=None, submitted_on=T0)


def test_commitment_only_where_the_handbook_allows_it(generated, clock):
    supervision = accept(case_of(generated, "quality_safety_supervision"), T0)
    assert supervision.commitment
    supervision = case_record_decision(
        actor=None,
        case=supervision,
        expected_version=supervision.version,
        decided_on=T0,
        result="approved",
        commitment_used=True,
    )
    assert supervision.commitment_used and supervision.result == "approved"
    relic = accept(case_of(generated, "cultural_relic_survey"), T0)
    with pytest.raises(DomainError, match="不适用告知承诺"):
        case_record_decision(
            actor=None,
            case=relic,
            expected_version=relic.version,
            decided_on=T0,
            result="approved",
            commitment_used=True,
        )
