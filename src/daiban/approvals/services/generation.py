"""Generating a project's approval cases from its tailored handbook, and re-planning them from actuals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from daiban.accounts.models import Department
from daiban.accounts.permissions import require
from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.approvals.services import common
from daiban.audit.models import AuditAction, AuditEntry
from daiban.audit.services import BOOKKEEPING, json_safe, restore, soft_delete, update_versioned
from daiban.catalogue.selectors import active_catalogue
from daiban.core.handbook import tailor
from daiban.core.scenarios import compare
from daiban.projects.models import Milestone, Project
from daiban.projects.permissions import can_edit_project
from daiban.projects.services import project_facts

# Milestones whose date starts the approval plan, most specific first (see project_plan_start).
START_MILESTONES = ("land_acquired", "signed")


def project_plan_start(project: Project, *, fallback: dt.date) -> dt.date:
    """The day the approval plan starts: the 拿地 or 签约 date, actual before planned, else ``fallback``.

    Note: an actual date beats a planned one (the plan follows what happened); among the same kind of date
    拿地 comes first, because most permits wait for the land.
    """
    rows = Milestone.objects.filter(project=project, kind__code__in=START_MILESTONES).select_related("kind")
    by_code = {milestone.kind.code: milestone for milestone in rows}
    for attribute in ("actual_on", "planned_on"):
        for code in START_MILESTONES:
            value = getattr(by_code.get(code), attribute, None)
            if value:
                return value
    return fallback


@transaction.atomic
def cases_generate(*, actor, project: Project) -> list[ApprovalCase]:
    """Tailor the handbook from the project's facts into approval cases; returns the live cases in order.

    A first run creates every case with both baselines and the agency plan as the current plan. A re-run
    (facts changed) adds the newly applicable cases, re-bridges prerequisites, refreshes the copied item data
    of cases without progress, soft-deletes the no-longer-applicable cases without progress (a case with
    recorded progress is never removed), keeps every existing baseline and re-plans the project.
    """
    project = common.lock_project(actor, project)
    require(
        actor is None or can_edit_project(actor=actor, project=project),
        f"您没有为项目“{project}”生成办件的权限",
    )
    handbook = tailor(active_catalogue(), project_facts(project))
    day = common.today()
    comparison = compare(
        handbook, calendar=planning.calendar(), start=project_plan_start(project, fallback=day)
    )
    existing = {case.item_code: case for case in ApprovalCase.all_objects.filter(project=project)}
    first_run = not any(not case.is_deleted for case in existing.values())
    progressed = _cases_with_progress(existing.values())
    new = []
    for order, handbook_case in enumerate(handbook.cases):
        data = planning.case_item_data(handbook_case, order)
        baseline = _baseline(comparison, handbook_case.code)
        case = existing.pop(handbook_case.code, None)
        if case is None:
            new.append(ApprovalCase(project=project, **data, **baseline))
        else:
            _case_refresh(case, actor=actor, data=data, baseline=baseline, progressed=case.pk in progressed)
    _cases_create(new, actor=actor, project=project, day=day)
    for case in existing.values():
        if not case.is_deleted and case.pk not in progressed:
            soft_delete(case, actor=actor, audit_note="项目条件变化，该事项不再适用")
    if not first_run:
        project_replan(project=project, status_date=day)
    return list(ApprovalCase.objects.filter(project=project).order_by("catalogue_order", "pk"))


def _baseline(comparison: Any, code: str) -> dict[str, Any]:
    conventional = planning.schedule_activity(comparison.conventional, code)
    agency = planning.schedule_activity(comparison.agency, code)
    values = {
        "conventional_start": conventional.early_start if conventional else None,
        "conventional_finish": conventional.early_finish if conventional else None,
        "conventional_critical": bool(conventional and conventional.critical),
        "agency_start": agency.early_start if agency else None,
        "agency_finish": agency.early_finish if agency else None,
        "agency_critical": bool(agency and agency.critical),
    }
    return values | planning.plan_values(agency)


def _cases_with_progress(cases) -> set[int]:
    """Cases with anything recorded on them: never regenerated away."""
    ids = {
        case.pk
        for case in cases
        if case.submitted_on
        or case.accepted_on
        or case.decided_on
        or case.result
        or case.extension_days_granted
    }
    suspended = CaseSuspension.all_objects.filter(case__in=[case.pk for case in cases])
    return ids | set(suspended.values_list("case_id", flat=True))


def _cases_create(cases: list[ApprovalCase], *, actor, project: Project, day: dt.date) -> None:
    """Insert the new cases in one statement and audit each one (same entry as create_tracked writes).

    Note: bulk, because a project gets ~30 cases at once and imports create hundreds of projects; the data
    comes from the validated catalogue and the unique item codes were checked against the existing rows.
    """
    if not cases:
        return
    now, user = timezone.now(), actor if getattr(actor, "pk", None) else None
    departments = dict(
        Department.objects.filter(name__in={case.department_name for case in cases}).values_list("name", "pk")
    )
    for case in cases:
        case.department_id = departments.get(case.department_name)
        case.created_at = case.updated_at = now
        case.created_by = case.updated_by = user
        planning.changed(case, planning.sla_values(case, (), today=day))
    ApprovalCase.objects.bulk_create(cases)
    skip = BOOKKEEPING | {"project", "department"}
    entries = [
        common.audit_entry(
            actor,
            AuditAction.CREATE,
            case,
            project.pk,
            note="按办事手册生成",
            changes={
                field.name: [None, json_safe(getattr(case, field.attname))]
                for field in ApprovalCase._meta.concrete_fields
                if field.name not in skip and getattr(case, field.attname) not in (None, "", [], {}, False, 0)
            },
        )
        for case in cases
    ]
    AuditEntry.objects.bulk_create(entries)


def _case_refresh(case: ApprovalCase, *, actor, data: dict, baseline: dict, progressed: bool) -> None:
    """An existing case still in the handbook: restored if deleted, data refreshed, baselines kept."""
    if case.is_deleted:
        case = restore(case, actor=actor, audit_note="项目条件变化，该事项重新适用")
    changes = {"prerequisites": data["prerequisites"], "catalogue_order": data["catalogue_order"]}
    if not progressed:
        changes = data
    if case.agency_start is None:  # a baseline is kept once it exists
        changes = changes | baseline
    update_versioned(
        case, actor=actor, expected_version=None, changes=changes, audit_note="按项目条件重新生成"
    )


# ------------------------------------------------------------------------------------------ re-planning


@transaction.atomic
def project_replan(*, project: Project | int, status_date: dt.date) -> int:
    """Re-plan the project's cases from actuals (accepted = started, decided = finished) as of
    ``status_date``; store planned dates, float and critical flag. Derived data: no version bump, no audit.
    Returns the number of cases whose plan changed. Two queries whatever the number of cases."""
    cases = list(ApprovalCase.objects.filter(project_id=getattr(project, "pk", project)))
    if not cases:
        return 0
    values = planning.replan(cases, start=planning.replan_start(cases, status_date), status_date=status_date)
    dirty = [case for case in cases if planning.changed(case, values[case.item_code])]
    ApprovalCase.objects.bulk_update(dirty, planning.PLAN_FIELDS)
    return len(dirty)
