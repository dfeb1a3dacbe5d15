"""Simulated history of one project's approval cases, up to an "as of" date (pure: stdlib + core).

Each case draws its behaviour once (a gap before submission, the share of its limit it takes, lateness, a
suspension); ``simulate`` then walks the handbook in dependency order from a start date. Because the draws do
not depend on dates, the same project can be replayed from another start — that is how ``fit_start`` moves a
project in time so that a chosen case is accepted on a chosen day (a case left open becomes overdue, near its
due date, suspended …) or so that its construction permit lands on a chosen day.

A case's clock runs for its promised limit (承诺时限), 0 under 告知承诺, as the approvals app reads it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from daiban.core.calendar import WorkCalendar
from daiban.core.handbook import Handbook, HandbookCase
from daiban.core.sla import CaseClock, Suspension, due_date

# Scripted states of one case, so that every clock state appears even in a tiny demo.
FATES = ("overdue", "warning", "suspended", "normal", "late")
# Working days between acceptance and the as-of date that give each open fate its state.
_FATE_OFFSET = {"overdue": lambda limit: limit + 3, "warning": lambda limit: limit - 1}
_FATE_OFFSET |= {"normal": lambda limit: 1, "suspended": lambda limit: 3}
SUSPENSION_WEIGHTS = {"supplement": 6, "expert_review": 3, "testing": 2, "hearing": 1}


@dataclass(frozen=True)
class Draw:
    """The behaviour of one case, independent of dates."""

    gap: int  # working days from the last prerequisite's decision to submission
    accept_delay: int  # working days from submission to acceptance
    ratio: float  # share of the limit used when on time
    late: int  # working days beyond the limit (0: on time)
    stuck: bool  # never decided
    suspension: tuple[str, float, int] | None  # (reason, where in the case 0..1, natural days)


CAREFUL = Draw(0, 0, 1.0, 0, False, None)


@dataclass(frozen=True)
class CaseActual:
    """What happened to one case, as known on the as-of date (None: not yet)."""

    code: str
    submitted_on: date | None = None
    accepted_on: date | None = None
    decided_on: date | None = None
    suspensions: tuple[Suspension, ...] = ()


def clock_limit(case: HandbookCase) -> tuple[int, str]:
    """(days, unit) the case's clock runs for."""
    if case.commitment:
        return 0, "working_days"
    return case.promised_days, case.promised_unit


def draw_cases(handbook: Handbook, rng: random.Random, *, careful: bool = False) -> dict[str, Draw]:
    """One draw per case, in handbook order; ``careful`` (the showcase) gives no gaps, lateness or pauses."""
    draws = {}
    for case in handbook.cases:
        # Note: every case consumes the same random numbers, so one case's outcome never shifts another's.
        a, b, c, d, e, f, g, h, k = (rng.random() for _ in range(9))
        if careful:
            draws[case.code] = CAREFUL
            continue
        suspension = (_pick(SUSPENSION_CUMULATIVE, g), 0.2 + 0.6 * h, 3 + int(k * 19)) if f < 0.09 else None
        draws[case.code] = Draw(
            gap=_pick(GAP_CUMULATIVE, a),
            accept_delay=0 if case.tolerated_gap or b < 0.6 else 1,
            ratio=0.4 + 0.6 * c,
            late=_pick(LATE_CUMULATIVE, d / 0.06) if d < 0.06 else 0,
            stuck=e < 0.02,
            suspension=suspension,
        )
    return draws


def _pick(cumulative: tuple[tuple[float, object], ...], u: float):
    """The value whose cumulative share first exceeds ``u`` (0 <= u < 1)."""
    for share, value in cumulative:
        if u < share:
            return value
    return cumulative[-1][1]


def _cumulative(weights: Mapping[object, float]) -> tuple[tuple[float, object], ...]:
    total, running, result = sum(weights.values()), 0.0, []
    for value, weight in weights.items():
        running += weight / total
        result.append((running, value))
    return tuple(result)


GAP_CUMULATIVE = _cumulative({0: 35, 1: 30, 2: 20, 3: 10, 5: 5})
LATE_CUMULATIVE = _cumulative({1: 1, 2: 1, 3: 1, 5: 1, 8: 1})
SUSPENSION_CUMULATIVE = _cumulative(SUSPENSION_WEIGHTS)


def dependency_order(handbook: Handbook) -> list[HandbookCase]:
    """Cases with every prerequisite first (Kahn, stable on the handbook's order); cached per handbook."""
    key = tuple((case.code, case.prerequisites) for case in handbook.cases)
    order = _ORDERS.get(key)
    if order is None:
        pending = {case.code: set(case.prerequisites) for case in handbook.cases}
        done: set[str] = set()
        order = []
        while len(order) < len(handbook.cases):
            ready = [case for case in handbook.cases if case.code not in done and pending[case.code] <= done]
            order.extend(ready)
            done.update(case.code for case in ready)
        _ORDERS[key] = order
    return order


_ORDERS: dict[tuple, list[HandbookCase]] = {}


def simulate(
    handbook: Handbook,
    draws: Mapping[str, Draw],
    *,
    calendar: WorkCalendar,
    start: date,
    as_of: date,
    gates: Mapping[str, date | None] | None = None,
    fates: Mapping[str, str] | None = None,
) -> dict[str, CaseActual]:
    """Every case's facts as known on ``as_of``, the first cases submitted on ``start``.

    ``gates`` maps a stage to the earliest day its cases may be submitted (None: not reachable, e.g. the
    acceptance stage of a project not yet completed). ``fates`` forces the outcome of some cases (FATES).
    """
    full = timeline(handbook, draws, calendar=calendar, start=start, gates=gates, fates=fates)
    return {code: cut(actual, as_of) for code, actual in full.items()}


def timeline(
    handbook: Handbook,
    draws: Mapping[str, Draw],
    *,
    calendar: WorkCalendar,
    start: date,
    gates: Mapping[str, date | None] | None = None,
    fates: Mapping[str, str] | None = None,
) -> dict[str, CaseActual]:
    """Every case's facts as they will have happened (no as-of cut); see ``simulate``."""
    gates = gates or {}
    fates = fates or {}
    full: dict[str, CaseActual] = {}
    for case in dependency_order(handbook):
        full[case.code] = _one(case, draws[case.code], full, calendar, start, gates, fates.get(case.code))
    return full


def _one(
    case: HandbookCase,
    draw: Draw,
    done: Mapping[str, CaseActual],
    calendar: WorkCalendar,
    start: date,
    gates: Mapping[str, date | None],
    fate: str | None,
) -> CaseActual:
    ready = start
    for code in case.prerequisites:
        decided = done[code].decided_on
        if decided is None:
            return CaseActual(case.code)
        ready = max(ready, decided)
    if case.stage in gates:
        gate = gates[case.stage]
        if gate is None:
            return CaseActual(case.code)
        ready = max(ready, gate)
    submitted = calendar.add_workdays(calendar.next_workday(ready, inclusive=True), draw.gap)
    accepted = calendar.add_workdays(submitted, draw.accept_delay)
    limit, unit = clock_limit(case)
    if limit == 0:
        return CaseActual(case.code, submitted, accepted, accepted)
    if fate in ("overdue", "warning", "normal"):
        return CaseActual(case.code, submitted, accepted)
    if fate == "suspended":
        reason = draw.suspension[0] if draw.suspension else "supplement"
        pause = Suspension(calendar.add_workdays(accepted, 1), None, reason)
        return CaseActual(case.code, submitted, accepted, None, (pause,))
    late = max(draw.late, 2) if fate == "late" else draw.late
    days = limit + late if late else (limit if unit == "natural_days" else max(1, round(limit * draw.ratio)))
    pauses: tuple[Suspension, ...] = ()
    if draw.suspension and fate != "late":
        reason, where, length = draw.suspension
        into = max(1, int(days * where))
        if unit == "natural_days":
            begin = calendar.next_workday(calendar.add_days(accepted, into), inclusive=True)
        else:
            begin = calendar.add_workdays(accepted, into)
        pauses = (Suspension(begin, calendar.add_days(begin, length - 1), reason),)
    if pauses:
        decided = due_date(CaseClock(accepted, days, unit, pauses), calendar=calendar)
    elif unit == "natural_days":
        decided = calendar.natural_deadline(accepted, days)
    else:
        decided = calendar.add_workdays(accepted, days)
    if draw.stuck and fate is None:
        decided = None
    return CaseActual(case.code, submitted, accepted, decided, pauses)


def cut(actual: CaseActual, as_of: date) -> CaseActual:
    """The facts as known on ``as_of``: later events are not known yet; a pause not yet over is open."""
    if actual.accepted_on is None or actual.accepted_on > as_of:
        submitted = actual.submitted_on if actual.submitted_on and actual.submitted_on <= as_of else None
        return CaseActual(actual.code, submitted)
    decided = actual.decided_on if actual.decided_on and actual.decided_on <= as_of else None
    pauses = tuple(
        pause if pause.end is not None and pause.end <= as_of else replace(pause, end=None)
        for pause in actual.suspensions
        if pause.start <= as_of
    )
    if decided is not None:
        pauses = tuple(pause for pause in pauses if pause.end is not None)
    return replace(actual, decided_on=decided, suspensions=pauses)


def fate_target(case: HandbookCase, fate: str, *, calendar: WorkCalendar, as_of: date) -> date:
    """The acceptance day that gives an open case the state its fate names on ``as_of``."""
    limit, _ = clock_limit(case)
    return calendar.add_workdays(calendar.previous_workday(as_of, inclusive=True), -_FATE_OFFSET[fate](limit))


def fit_start(
    run,
    *,
    calendar: WorkCalendar,
    start: date,
    point,
    target: date,
    tries: int = 6,
) -> tuple[date, dict[str, CaseActual]]:
    """Move ``start`` until ``point(run(start))`` (a date or None) falls on ``target``.

    ``run(start)`` simulates the project without the as-of cut. Working-day shifts converge at once unless a
    natural-day case sits on the way; a few tries settle that. Returns the last start and its result.
    """
    result = run(start)
    for _ in range(tries):
        reached = point(result)
        if reached is None or reached == target:
            break
        shift = calendar.ordinal(target) - calendar.ordinal(reached)
        start = calendar.add_workdays(calendar.next_workday(start, inclusive=True), shift)
        result = run(start)
    return start, result


def span_to(actuals: Mapping[str, CaseActual], code: str, calendar: WorkCalendar) -> int | None:
    """Working days from the first acceptance to the decision of case ``code`` (None if not decided)."""
    decided = actuals[code].decided_on
    accepted = [a.accepted_on for a in actuals.values() if a.accepted_on is not None]
    if decided is None or not accepted:
        return None
    return calendar.workdays_between(min(accepted), decided)
