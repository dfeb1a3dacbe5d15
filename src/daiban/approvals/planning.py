"""The bridge between stored approval cases and the pure core: handbook ↔ rows, planner, SLA clock, lights.

Everything here is computation on rows already loaded (no writes, and no queries except where a docstring
says so), so the services and the daily tick can read in bulk, compute in Python, and write only what changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from daiban.core.calendar import WorkCalendar
from daiban.core.catalogue import STAGES
from daiban.core.handbook import Dependency, Handbook, HandbookCase
from daiban.core.lights import OverdueCase, ProjectLight, ProjectStatus
from daiban.core.planner import Activity, Schedule, ScheduledActivity, plan
from daiban.core.scenarios import agency_network
from daiban.core.sla import CaseClock, ClockReading, Suspension, due_date, read_clock

if TYPE_CHECKING:
    from daiban.approvals.models import ApprovalCase

STAGE_ORDER = {stage: rank for rank, stage in enumerate(STAGES)}
# The fields of the current plan, written by project_replan.
PLAN_FIELDS = ("planned_start", "planned_finish", "total_float", "critical")
# The fields of the stored SLA reading, written after each recorded event and by the daily tick.
SLA_FIELDS = ("sla_state", "due_on", "statutory_due_on", "overdue_days", "first_overdue_on", "light")


def calendar() -> WorkCalendar:
    """The working-day calendar every approval computation uses: the shipped one with the admins' changes
    (loaded notices, marked days), kept in the process and refreshed when they change."""
    from daiban.catalogue.selectors import work_calendar

    return work_calendar()


# ------------------------------------------------------------------------------------------ handbook ↔ rows


def case_item_data(case: HandbookCase, order: int) -> dict[str, Any]:
    """The handbook data copied onto an ApprovalCase, so the project keeps the handbook it got."""
    return {
        "item_code": case.code,
        "name": case.name,
        "stage": case.stage,
        "department_name": case.department,
        "level": case.level,
        "delegated": case.delegated,
        "statutory_days": case.statutory_days,
        "statutory_unit": case.statutory_unit,
        "statutory_source": case.statutory_source[:300],
        "extension_days": case.extension_days,
        "promised_days": case.promised_days,
        "promised_unit": case.promised_unit,
        "promised_source": case.promised_source[:300],
        "commitment": case.commitment,
        "tolerated_gap": case.tolerated_gap,
        "prerequisites": list(case.prerequisites),
        "materials": list(case.materials),
        "notes": list(case.notes),
        "catalogue_order": order,
    }


def handbook_from_cases(cases: Sequence[ApprovalCase], facts: Mapping[str, Any] | None = None) -> Handbook:
    """The handbook as stored on the project's live cases (prerequisites limited to cases still present).

    Note: a prerequisite whose case was removed (no longer applicable) is dropped, not bridged: the copy keeps
    only the bridged prerequisites of the handbook the case came from, and regeneration re-bridges them.
    """
    ordered = sorted(cases, key=lambda c: (c.catalogue_order, c.pk or 0))
    present = {case.item_code for case in ordered}
    handbook_cases = tuple(_handbook_case(case, present) for case in ordered)
    dependencies = tuple(
        Dependency(before, case.code) for case in handbook_cases for before in case.prerequisites
    )
    return Handbook(dict(facts or {}), handbook_cases, dependencies, ())


def _handbook_case(case: ApprovalCase, present: set[str]) -> HandbookCase:
    statutory = case.statutory_days or 0
    return HandbookCase(
        code=case.item_code,
        name=case.name,
        stage=case.stage,
        department=case.department_name,
        level=case.level,
        delegated=case.delegated,
        statutory_days=statutory,
        statutory_unit=case.statutory_unit,
        statutory_source=case.statutory_source,
        extension_days=case.extension_days,
        promised_days=statutory if case.promised_days is None else case.promised_days,
        promised_unit=case.promised_unit,
        promised_source=case.promised_source,
        commitment=case.commitment,
        tolerated_gap=case.tolerated_gap,
        prerequisites=tuple(
            code for code in case.prerequisites if code in present and code != case.item_code
        ),
        materials=tuple(case.materials),
        notes=tuple(case.notes),
    )


# ------------------------------------------------------------------------------------------ planning


def plan_values(activity: ScheduledActivity | None) -> dict[str, Any]:
    """The current-plan fields of one case from its scheduled activity."""
    if activity is None:
        return dict.fromkeys(PLAN_FIELDS) | {"critical": False}
    return {
        "planned_start": activity.early_start,
        "planned_finish": activity.early_finish,
        "total_float": activity.total_float,
        "critical": activity.critical,
    }


def with_actuals(activities: Iterable[Activity], cases: Iterable[ApprovalCase]) -> list[Activity]:
    """The scenario's activities with each case's recorded acceptance and decision as actual dates."""
    by_code = {case.item_code: case for case in cases}
    result = []
    for activity in activities:
        case = by_code.get(activity.id)
        if case is not None and (case.accepted_on or case.decided_on):
            activity = dataclasses.replace(
                activity,
                actual_start=case.accepted_on,
                actual_finish=case.decided_on if case.accepted_on else None,
            )
        result.append(activity)
    return result


def replan(
    cases: Sequence[ApprovalCase], *, start: dt.date, status_date: dt.date, cal: WorkCalendar | None = None
) -> dict[str, dict[str, Any]]:
    """The current plan of every case (by item code): the agency network from the stored cases, planned from
    ``start`` with done and running work at their actual dates and open work not before ``status_date``."""
    if not cases:
        return {}
    activities, relations = agency_network(handbook_from_cases(cases))
    schedule = plan(
        with_actuals(activities, cases),
        relations,
        calendar=cal or calendar(),
        start=start,
        status_date=status_date,
    )
    scheduled = schedule.activities
    return {case.item_code: plan_values(scheduled.get(case.item_code)) for case in cases}


def replan_start(cases: Iterable[ApprovalCase], fallback: dt.date) -> dt.date:
    """Where a re-plan starts: the earliest baseline start of the project's cases (else ``fallback``)."""
    starts = [case.agency_start for case in cases if case.agency_start] + [
        case.accepted_on for case in cases if case.accepted_on
    ]
    return min(starts, default=fallback)


def schedule_activity(schedule: Schedule | None, code: str) -> ScheduledActivity | None:
    return None if schedule is None else schedule.activities.get(code)


# ------------------------------------------------------------------------------------------ SLA clock


def _clock(
    case: ApprovalCase, limit: int | None, unit: str, suspensions: Sequence[Any] | None
) -> CaseClock | None:
    if limit is None:
        return None
    if suspensions is None:
        suspensions = list(case.suspensions(manager="objects").all()) if case.accepted_on else []
    return CaseClock(
        accepted_on=case.accepted_on,
        limit=limit,
        unit=unit,
        suspensions=tuple(Suspension(s.start, s.end, s.reason) for s in suspensions)
        if case.accepted_on
        else (),
        extension_days=case.extension_days_granted,
        decided_on=case.decided_on if case.accepted_on else None,
    )


def case_clock(case: ApprovalCase, suspensions: Sequence[Any] | None = None) -> CaseClock | None:
    """The clock the district tracks: its promised limit (the statutory one when no promise is made);
    None when the case has no limit at all. ``suspensions`` (objects with start, end, reason) are read from
    the database when not given.

    Note: the law enforces the statutory limit, but the agency service is judged on its promise, which is the
    shorter one, so the stored sla_state, due_on, overdue days and light follow the promise: warnings come
    while the legal limit still holds. The statutory due date is stored beside it (statutory_due_on). A
    granted extension lengthens both clocks. A case with a promise of 0 days (告知承诺) is due on acceptance.
    """
    if case.promised_days is None:
        return statutory_clock(case, suspensions)
    return _clock(case, case.promised_days, case.promised_unit, suspensions)


def statutory_clock(case: ApprovalCase, suspensions: Sequence[Any] | None = None) -> CaseClock | None:
    """The clock the law enforces (行政许可法 art. 42/45)."""
    return _clock(case, case.statutory_days, case.statutory_unit, suspensions)


def sla_values(
    case: ApprovalCase, suspensions: Sequence[Any], *, today: dt.date, cal: WorkCalendar | None = None
) -> dict[str, Any]:
    """The stored SLA fields of one case as of ``today``; first_overdue_on is kept once set."""
    cal = cal or calendar()
    clock = case_clock(case, suspensions)
    if clock is None:
        return {
            "sla_state": "",
            "due_on": None,
            "statutory_due_on": None,
            "overdue_days": 0,
            "first_overdue_on": case.first_overdue_on,
            "light": "",
        }
    reading: ClockReading = read_clock(clock, calendar=cal, today=today)
    legal = statutory_clock(case, suspensions)
    return {
        "sla_state": reading.state,
        "due_on": reading.due_on,
        "statutory_due_on": due_date(legal, calendar=cal, today=today) if legal else None,
        "overdue_days": reading.overdue_days,
        "first_overdue_on": case.first_overdue_on or reading.first_overdue_on,
        "light": reading.light,
    }


def changed(obj: Any, values: Mapping[str, Any]) -> bool:
    """Set ``values`` on ``obj``; True if any differed."""
    differs = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            differs = True
    return differs


# ------------------------------------------------------------------------------------------ lights


def project_status(
    *,
    today: dt.date,
    annual_plan: Decimal,
    completed: Decimal,
    schedule_progress: Decimal,
    planned_start: dt.date | None,
    actual_start: dt.date | None,
    overdue: Iterable[ApprovalCase],
) -> ProjectStatus:
    """What core.lights looks at for one project; ``overdue`` are its open overdue cases."""
    return ProjectStatus(
        today=today,
        annual_plan=annual_plan,
        completed=completed,
        schedule_progress=schedule_progress,
        planned_start=planned_start,
        actual_start=actual_start,
        overdue_cases=tuple(
            OverdueCase(
                case.name,
                case.overdue_days,
                case.critical,
                case.promised_unit if case.promised_days is not None else case.statutory_unit,
            )
            for case in overdue
        ),
    )


def light_reasons(light: ProjectLight) -> list[dict[str, str]]:
    """The reasons as stored on the project (JSON): colour, rule kind and the Chinese text."""
    return [{"light": reason.light, "rule": reason.rule, "text": reason.text} for reason in light.reasons]
