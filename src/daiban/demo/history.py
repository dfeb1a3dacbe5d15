"""Where each demo project stands on the as-of date: its approval history, milestones, code and monthly
investment (pure: stdlib + core). See ``portfolio`` for the roles."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.pacing import PacingCurve, schedule_progress
from daiban.demo import names
from daiban.demo.district import ProjectSpec
from daiban.demo.progress import CaseActual, Draw, cut, draw_cases, fate_target, fit_start, span_to, timeline

SHOWCASE_WORKDAYS = 47
FATE_CASE = "construction_planning_permit"  # on every handbook, on the critical path to the permit
PERMIT = "construction_permit"
LAND_CASES = ("land_transfer_contract", "land_allocation_decision")
# Industry divisions (GB/T 4754) for the 2-digit field of the national project code, by demo industry.
CODE_DIVISION = {"it": "39", "bio": "27", "auto": "36", "robot": "34", "ic": "39", "energy": "38"}
CODE_DIVISION |= {"materials": "26", "services": "72", "road": "48", "school": "83", "hospital": "84"}
CODE_DIVISION |= {"housing": "70", "tunnel": "48", "water": "46", "park": "78"}
CODE_TYPE = {"examination": "01", "approval": "02", "filing": "03"}
CENT = Decimal("0.01")


def build_history(
    spec: ProjectSpec, handbook, calendar: WorkCalendar, as_of: date, rng: random.Random
) -> None:
    """Fill ``spec``'s cases, milestones, planned start and project code."""
    draws = draw_cases(handbook, rng, careful=spec.role == "showcase")
    if spec.role != "approving":
        # Note: only projects still in approval may have a case that is never decided.
        draws = {
            code: Draw(d.gap, d.accept_delay, d.ratio, d.late, False, d.suspension)
            for code, d in draws.items()
        }
    history = _ROLES[spec.role.split(":")[0]](spec, handbook, draws, calendar, as_of, rng)
    full, started, completed = history
    spec.cases = {code: cut(actual, as_of) for code, actual in full.items()}
    first = min(a.accepted_on for a in full.values() if a.accepted_on)
    spec.milestones = _milestones(spec, full, first, started, completed, calendar, as_of, rng)
    spec.statistics_registered = "started" in spec.milestones
    if spec.cases[handbook.cases[0].code].decided_on:
        division, kind = CODE_DIVISION[spec.industry_code], CODE_TYPE[spec.facts["approval_mode"]]
        serial = (spec.index * 7919 + 1237) % 100_000
        spec.project_code = (
            f"{first.year}-{names.REGION_CODE}-{division}-{kind}-{serial:05d}{rng.randint(0, 9)}"
        )


# ------------------------------------------------------------------------------------------ roles

History = tuple[dict[str, CaseActual], date | None, date | None]  # (full timeline, started, completed)


def _run(handbook, draws, calendar: WorkCalendar, *, gate: date | None = None, fates=None):
    gates = {"acceptance": gate}
    return lambda start: timeline(handbook, draws, calendar=calendar, start=start, gates=gates, fates=fates)


def _permit(full: dict[str, CaseActual]) -> date | None:
    return full[PERMIT].decided_on


def _fit_permit(run, calendar: WorkCalendar, target: date, rng: random.Random) -> dict[str, CaseActual]:
    """The timeline whose construction permit is decided on (or right by) ``target``."""
    guess = target - timedelta(days=rng.randint(120, 260))
    return fit_start(run, calendar=calendar, start=guess, point=_permit, target=target)[1]


def _showcase(spec, handbook, draws, calendar, as_of, rng) -> History:
    """Every case on its promise; the waiting days between them make exactly 47 working days."""
    start = calendar.next_workday(min(date(as_of.year, 3, 2), as_of - timedelta(days=150)), inclusive=True)
    full = _run(handbook, draws, calendar)(start)
    extra = SHOWCASE_WORKDAYS - span_to(full, PERMIT, calendar)
    if extra < 0:
        raise DomainError(f"事项库承诺时限之和已超过 {SHOWCASE_WORKDAYS} 个工作日，无法生成示范项目")
    draws = dict(draws)
    for code, gap in (("construction_drawing_review", extra // 2), (PERMIT, extra - extra // 2)):
        draws[code] = Draw(gap, 0, 1.0, 0, False, None)
    full = _run(handbook, draws, calendar)(start)
    if span_to(full, PERMIT, calendar) != SHOWCASE_WORKDAYS:
        raise DomainError(f"示范项目的审批用时不是 {SHOWCASE_WORKDAYS} 个工作日")
    started = calendar.add_workdays(_permit(full), 3)
    spec.planned_start_on = date(started.year, started.month, 1) + timedelta(days=40)
    return full, started, None


def _fate(spec, handbook, draws, calendar, as_of, rng) -> History:
    """The fate case open (or decided late) on the as-of date; nothing after it has started."""
    fate = spec.role.split(":")[1]
    if fate == "late":
        return _continuing(spec, handbook, draws, calendar, as_of, rng, fates={FATE_CASE: "late"})
    run = _run(handbook, draws, calendar, fates={FATE_CASE: fate})
    target = fate_target(handbook.case(FATE_CASE), fate, calendar=calendar, as_of=as_of)
    point = lambda full: full[FATE_CASE].accepted_on  # noqa: E731
    _, full = fit_start(run, calendar=calendar, start=target - timedelta(days=90), point=point, target=target)
    offset = {"overdue": -75, "warning": 25, "suspended": -40, "normal": 35}[fate]
    spec.planned_start_on = as_of + timedelta(days=offset)
    return full, None, None


def _started(spec, handbook, draws, calendar, as_of, rng) -> History:
    """Ground broken this year, a few days after the permit; some later than planned."""
    year_start = date(as_of.year, 2, 10)
    latest = max(year_start, min(as_of - timedelta(days=25), date(as_of.year, 11, 10)))
    planned = year_start + timedelta(days=rng.randint(0, (latest - year_start).days))
    delay = rng.randint(-10, 20) if rng.random() < 0.7 else rng.randint(25, 90)
    start_on = min(planned + timedelta(days=delay), as_of - timedelta(days=3))
    target = calendar.previous_workday(start_on - timedelta(days=rng.randint(2, 15)), inclusive=True)
    full = _fit_permit(_run(handbook, draws, calendar), calendar, target, rng)
    spec.planned_start_on = planned
    permit = _permit(full)
    if permit is None or permit >= as_of:
        return full, None, None
    return full, max(start_on, permit + timedelta(days=1)), None


def _ready(spec, handbook, draws, calendar, as_of, rng) -> History:
    """Permits in hand, not started yet: planned for December, or a little late."""
    target = calendar.add_workdays(calendar.previous_workday(as_of, inclusive=True), -rng.randint(5, 30))
    full = _fit_permit(_run(handbook, draws, calendar), calendar, target, rng)
    late = rng.random() < 0.3
    spec.planned_start_on = as_of + timedelta(days=-rng.randint(10, 50) if late else rng.randint(5, 38))
    return full, None, None


def _approving(spec, handbook, draws, calendar, as_of, rng) -> History:
    """Approvals under way, started some time this year (a few cases may be stuck)."""
    start = calendar.add_workdays(calendar.previous_workday(as_of, inclusive=True), -rng.randint(15, 200))
    full = _run(handbook, draws, calendar)(start)
    planned = as_of + timedelta(days=rng.randint(10, 38) if rng.random() < 0.5 else -rng.randint(15, 120))
    spec.planned_start_on = max(planned, date(as_of.year, 1, 15))
    return full, None, None


def _continuing(spec, handbook, draws, calendar, as_of, rng, fates=None) -> History:
    """Under construction since an earlier year; a share completed this year (acceptance under way)."""
    year = as_of.year
    first, last = date(year - 3, 3, 1), date(year - 1, 11, 30)
    started = first + timedelta(days=rng.randint(0, (last - first).days))
    completed = None
    if spec.role == "completed":
        earliest = max(started + timedelta(days=420), date(year, 1, 15))
        latest = as_of - timedelta(days=rng.choice((4, 10, 30)))
        if earliest < latest:
            completed = earliest + timedelta(days=int((latest - earliest).days * rng.random() ** 0.5))
    target = calendar.previous_workday(started - timedelta(days=rng.randint(2, 20)), inclusive=True)
    full = _fit_permit(_run(handbook, draws, calendar, gate=completed, fates=fates), calendar, target, rng)
    spec.planned_start_on = started - timedelta(days=rng.randint(0, 45))
    return full, max(started, _permit(full) + timedelta(days=1)), completed


_ROLES = {
    "showcase": _showcase,
    "fate": _fate,
    "started": _started,
    "ready": _ready,
    "approving": _approving,
    "continuing": _continuing,
    "completed": _continuing,
}


# ------------------------------------------------------------------------------------------ milestones


def _milestones(
    spec: ProjectSpec,
    full: dict[str, CaseActual],
    first: date,
    started: date | None,
    completed: date | None,
    calendar: WorkCalendar,
    as_of: date,
    rng: random.Random,
) -> dict[str, date]:
    """签约 → 注册 → 拿地 → 开工 → 竣工 → 投产, each reached in order and on or before the as-of date."""
    signed = first - timedelta(days=rng.randint(30, 150))
    registered = min(signed + timedelta(days=rng.randint(5, 40)), first)
    land = next((full[code].decided_on for code in LAND_CASES if code in full), None)
    if not any(code in full for code in LAND_CASES):
        land = first + timedelta(days=rng.randint(5, 15))  # a standard factory leased, or the unit's own land
    if spec.role == "showcase":
        signed, registered = first - timedelta(days=74), first - timedelta(days=49)
    dates = {"signed": signed, "registered": registered, "land_acquired": land, "started": started}
    if started is not None and land is not None and land > started:
        dates["land_acquired"] = started
    dates["completed"] = completed
    if completed and spec.industry_code in names.INDUSTRIAL and rng.random() < 0.5:
        dates["producing"] = completed + timedelta(days=rng.randint(15, 60))
    reached = {}
    for code in ("signed", "registered", "land_acquired", "started", "completed", "producing"):
        day = dates.get(code)
        if day is None or day > as_of:
            break
        reached[code] = day
    return reached


# ------------------------------------------------------------------------------------------ investment


def monthly_investment(spec: ProjectSpec, curve: PacingCurve, as_of: date, rng: random.Random) -> tuple:
    """Monthly reports for the months of this year already over (统计月报 follow the month), from the
    start month on: together plan × 序时进度 at the last month × the project's pace."""
    from daiban.demo.district import MonthSpec

    started, last = spec.milestones.get("started"), as_of.month - 1
    if started is None or last < 1 or (started.year, started.month) > (as_of.year, last):
        return ()
    first = started.month if started.year == as_of.year else 1
    pace = Decimal("1.08") if spec.role == "showcase" else _pace(rng)
    goal = spec.annual_plan * schedule_progress(curve, last) * pace
    months = range(first, last + 1)
    weights = [
        max(_increment(curve, m), Decimal("0.02")) * Decimal(f"{rng.uniform(0.6, 1.4):.3f}") for m in months
    ]
    whole = sum(weights)
    result = []
    for month, weight in zip(months, weights, strict=True):
        amount = (goal * weight / whole).quantize(CENT, rounding=ROUND_HALF_UP)
        funds = (amount * Decimal(str(rng.uniform(0.85, 1.2)))).quantize(CENT, rounding=ROUND_HALF_UP)
        result.append(MonthSpec(month, amount, funds))
    return tuple(result)


def _pace(rng: random.Random) -> Decimal:
    """Completed / expected: about 72% on or ahead of pace (green), 18% somewhat behind, 10% far behind."""
    draw = rng.random()
    low, high = (0.85, 1.25) if draw < 0.72 else (0.63, 0.78) if draw < 0.90 else (0.25, 0.55)
    return Decimal(str(round(rng.uniform(low, high), 3)))


def _increment(curve: PacingCurve, month: int) -> Decimal:
    return curve.shares[month - 1] - (curve.shares[month - 2] if month > 1 else Decimal(0))
