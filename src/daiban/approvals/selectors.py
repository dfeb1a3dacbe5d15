"""Reads of approval cases, always scoped through the projects the user may see (Project.for_user).

A project out of the user's scope raises Project.DoesNotExist (a 404), never an empty answer that confirms it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, SlaState
from daiban.core.catalogue import STAGES
from daiban.core.errors import DomainError
from daiban.core.scenarios import SEQUENCE
from daiban.projects.models import Project
from daiban.projects.selectors import project_in_scope

# How the compression figure is measured: until the last construction permit, as core.scenarios.compare does.
_SCOPE = SEQUENCE[: SEQUENCE.index("construction_permit") + 1]


def case_for_user(user) -> QuerySet[ApprovalCase]:
    """The one scope of approval cases: the live cases of the live projects the user may see."""
    return ApprovalCase.objects.for_user(user)


def case_get(*, user, pk: int) -> ApprovalCase:
    """One case in the user's scope; else ApprovalCase.DoesNotExist (→ 404)."""
    return case_for_user(user).select_related("project", "department").get(pk=pk)


def cases_for_project(*, user, project: Project | int) -> list[ApprovalCase]:
    """The project's cases by statutory stage (立项用地 → 工程建设 → 施工 → 竣工验收, then 并行推进), then
    catalogue order.

    Note: ordered here, not by a CASE in SQL: a project has a few dozen cases, and compiling the CASE cost
    more than the query itself.
    """
    project = project_in_scope(user=user, project=project)
    # Note: order_by() drops the model's default ordering, which joins the project to sort by its name.
    cases = ApprovalCase.objects.filter(project=project).select_related("department").order_by()
    last = len(STAGES)
    return sorted(
        cases, key=lambda case: (planning.STAGE_ORDER.get(case.stage, last), case.catalogue_order, case.pk)
    )


def cases_overdue(*, user) -> QuerySet[ApprovalCase]:
    """Open cases past their (promised) due date as of the last tick, the longest overdue first."""
    return (
        case_for_user(user)
        .filter(sla_state=SlaState.OVERDUE, decided_on__isnull=True)
        .select_related("project", "department")
        .order_by("-overdue_days", "due_on", "project__name", "pk")
    )


def cases_due_soon(*, user, within_days: int, today: dt.date | None = None) -> QuerySet[ApprovalCase]:
    """Open, running cases due between today and ``within_days`` working days from today, soonest first."""
    if within_days < 0:
        raise DomainError(f"到期提醒天数不能为负数：{within_days}")
    day = today or timezone.localdate()
    until = planning.calendar().add_workdays(day, within_days)
    return (
        case_for_user(user)
        .filter(
            decided_on__isnull=True,
            sla_state__in=[SlaState.NORMAL, SlaState.WARNING],
            due_on__gte=day,
            due_on__lte=until,
        )
        .select_related("project", "department")
        .order_by("due_on", "project__name", "pk")
    )


# ------------------------------------------------------------------------------------------ Gantt


@dataclass(frozen=True)
class GanttBar:
    start: dt.date
    finish: dt.date
    critical: bool


@dataclass(frozen=True)
class GanttRow:
    case_id: int
    code: str
    name: str
    stage: str
    stage_label: str
    department: str
    conventional: GanttBar | None  # baseline, statutory path
    agency: GanttBar | None  # baseline, agency path
    current: GanttBar | None  # re-planned from actuals
    accepted_on: dt.date | None
    decided_on: dt.date | None
    total_float: int | None
    sla_state: str
    light: str


@dataclass(frozen=True)
class ProjectGantt:
    project: Project
    rows: tuple[GanttRow, ...]
    start: dt.date | None
    conventional_finish: dt.date | None
    agency_finish: dt.date | None
    planned_finish: dt.date | None
    conventional_days: int | None  # working days from the start to the last construction permit
    agency_days: int | None
    compression: float | None  # 1 − agency / conventional (压缩率)


def project_gantt(*, user, project: Project | int, cases: list[ApprovalCase] | None = None) -> ProjectGantt:
    """Rows for both baseline scenarios and the current plan, with critical flags, for the Gantt chart.

    ``cases``: the project's cases as ``cases_for_project`` gave them, when the caller already has them.
    """
    project = project_in_scope(user=user, project=project)
    if cases is None:
        cases = cases_for_project(user=user, project=project)
    rows = tuple(_gantt_row(case) for case in cases)
    start = min((row.agency.start for row in rows if row.agency), default=None)
    conventional_days = _scope_days(rows, start, "conventional")
    agency_days = _scope_days(rows, start, "agency")
    compression = None
    if conventional_days and agency_days is not None:
        compression = 1 - agency_days / conventional_days
    return ProjectGantt(
        project=project,
        rows=rows,
        start=start,
        conventional_finish=_last(row.conventional for row in rows),
        agency_finish=_last(row.agency for row in rows),
        planned_finish=_last(row.current for row in rows),
        conventional_days=conventional_days,
        agency_days=agency_days,
        compression=compression,
    )


def _bar(start: dt.date | None, finish: dt.date | None, critical: bool) -> GanttBar | None:
    return GanttBar(start, finish, critical) if start and finish else None


def _gantt_row(case: ApprovalCase) -> GanttRow:
    return GanttRow(
        case_id=case.pk,
        code=case.item_code,
        name=case.name,
        stage=case.stage,
        stage_label=case.get_stage_display(),
        department=case.department.name if case.department else case.department_name,
        conventional=_bar(case.conventional_start, case.conventional_finish, case.conventional_critical),
        agency=_bar(case.agency_start, case.agency_finish, case.agency_critical),
        current=_bar(case.planned_start, case.planned_finish, case.critical),
        accepted_on=case.accepted_on,
        decided_on=case.decided_on,
        total_float=case.total_float,
        sla_state=case.sla_state,
        light=case.light,
    )


def _last(bars) -> dt.date | None:
    return max((bar.finish for bar in bars if bar), default=None)


def _scope_days(rows: tuple[GanttRow, ...], start: dt.date | None, scenario: str) -> int | None:
    finishes = [
        getattr(row, scenario).finish for row in rows if row.stage in _SCOPE and getattr(row, scenario)
    ]
    if start is None or not finishes:
        return None
    return planning.calendar().workdays_between(start, max(finishes))
