"""The clock of one approval case: due date, remaining days and SLA state.

Semantics (行政许可法 art. 42/45/82, 民法典 art. 201/203):

* The clock starts at acceptance (受理) on day D; D itself is not counted. With a limit of N working days and
  no suspension the case is due on ``add_workdays(D, N)``; with N natural days on ``natural_deadline(D, N)``
  (D + N, moved to the next working day when that is a rest day).
* The limit is N + the extension. The extension is granted once: ``CaseClock.with_extension`` refuses a second
  one and a negative or zero one.
* A suspension from S to E covers the days S..E inclusive (E = the day the condition was cleared); the clock
  runs again from E + 1. Suspended days do not consume the limit: the due date is the day on which the limit's
  last running day falls, so it moves by the working days (natural days for a natural-day limit) of [S, E]
  after D. Overlapping suspensions count once. A suspension that starts after the due date does not move it:
  the case was already late. Suspended rest days change nothing for a working-day limit.
* An open suspension (end None) freezes the clock: the state is ``suspended`` and ``due_on`` is provisional,
  as if the condition were cleared today (the clock resumes tomorrow), so ``remaining`` stays constant while
  suspended. ``due_date`` without ``today`` returns None for such a case because the date is not yet known.
* A reading is *as of* ``today``: facts dated after it are not yet known (a later acceptance or decision is
  ignored, a later suspension start is ignored, a later suspension end is treated as still open).
* States: overdue (today after the due date) wins over suspended (today inside a suspension), which wins over
  warning (0 ≤ working days left ≤ ``warning_days``), then normal. The warning lead is in working days for
  both units. A decided case is ``done_on_time`` or ``done_late``.
* Overdue days are counted in the limit's unit from the due date (exclusive) to today or the decision day
  (inclusive), and are at least 1 once the due date has passed (a due Friday, a Saturday decision: late by 1).
  ``first_overdue_on`` is the day after the due date.
* Lights: normal/done_on_time/not_started green, warning yellow, overdue/done_late red; a suspended case is
  yellow when its provisional remaining days are within the warning lead, else green.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from daiban.core.errors import DomainError

if TYPE_CHECKING:
    from daiban.core.calendar import WorkCalendar

UNITS = ("working_days", "natural_days")
UNIT_LABELS = {"working_days": "个工作日", "natural_days": "天"}
SUSPENSION_REASONS = {
    "supplement": "补正",
    "expert_review": "专家评审",
    "hearing": "听证",
    "testing": "检测",
}
STATES = ("not_started", "normal", "warning", "overdue", "suspended", "done_on_time", "done_late")
STATE_LIGHTS = {
    "not_started": "green",
    "normal": "green",
    "warning": "yellow",
    "overdue": "red",
    "done_on_time": "green",
    "done_late": "red",
}
DEFAULT_WARNING_DAYS = 2
_ONE_DAY = dt.timedelta(days=1)


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Suspension:
    """Time the clock does not run; ``end`` None means the condition is not cleared yet."""

    start: dt.date
    end: dt.date | None
    reason: str

    def __post_init__(self) -> None:
        if self.reason not in SUSPENSION_REASONS:
            raise DomainError(f"未知的挂起原因“{self.reason}”（可选：{'、'.join(SUSPENSION_REASONS)}）")
        if self.end is not None and self.end < self.start:
            raise DomainError(f"挂起结束日 {_cn(self.end)} 早于开始日 {_cn(self.start)}")

    @property
    def label(self) -> str:
        return SUSPENSION_REASONS[self.reason]


@dataclass(frozen=True)
class CaseClock:
    """The facts of one approval case that drive its clock."""

    accepted_on: dt.date | None
    limit: int
    unit: str = "working_days"
    suspensions: tuple[Suspension, ...] = ()
    extension_days: int = 0
    decided_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DomainError(f"未知的时限单位“{self.unit}”（可选：working_days、natural_days）")
        if self.limit < 0:
            raise DomainError(f"办理时限不能为负数：{self.limit}")
        if self.extension_days < 0:
            raise DomainError(f"延期天数不能为负数：{self.extension_days}")
        self._check_dates()

    def _check_dates(self) -> None:
        accepted = self.accepted_on
        if accepted is None:
            if self.suspensions:
                raise DomainError("办件尚未受理，不能挂起")
            if self.decided_on is not None:
                raise DomainError("办件尚未受理，不能办结")
            return
        if self.decided_on is not None and self.decided_on < accepted:
            raise DomainError(f"办结日 {_cn(self.decided_on)} 早于受理日 {_cn(accepted)}")
        for s in self.suspensions:
            if s.start < accepted:
                raise DomainError(f"{s.label}挂起开始日 {_cn(s.start)} 早于受理日 {_cn(accepted)}")
            if self.decided_on is not None and s.end is None:
                raise DomainError(f"办件已于 {_cn(self.decided_on)} 办结，{s.label}挂起必须填写结束日")
            if self.decided_on is not None and s.start > self.decided_on:
                raise DomainError(f"{s.label}挂起开始日 {_cn(s.start)} 晚于办结日 {_cn(self.decided_on)}")

    def with_extension(self, days: int) -> CaseClock:
        """The clock with its one extension granted."""
        if days <= 0:
            raise DomainError(f"延期天数必须为正数：{days}")
        if self.extension_days:
            raise DomainError(f"办件已延期 {self.extension_days} 天，延期只能批准一次")
        return replace(self, extension_days=days)

    @property
    def total_limit(self) -> int:
        return self.limit + self.extension_days


@dataclass(frozen=True)
class ClockReading:
    """What the clock says on one day."""

    state: str
    due_on: dt.date | None
    remaining: int | None
    overdue_days: int
    first_overdue_on: dt.date | None
    light: str
    unit: str = "working_days"
    suspended_reasons: tuple[str, ...] = ()  # reasons in effect today (state suspended)

    def label(self) -> str:
        unit = UNIT_LABELS[self.unit]
        if self.state == "not_started":
            return "未受理"
        if self.state == "suspended":
            reasons = "、".join(SUSPENSION_REASONS[r] for r in self.suspended_reasons)
            return f"已挂起（{reasons}）"
        if self.state == "overdue":
            return f"逾期 {self.overdue_days} {unit}"
        if self.state == "done_on_time":
            return "按期办结"
        if self.state == "done_late":
            return f"超期办结（逾期 {self.overdue_days} {unit}）"
        if self.remaining == 0:
            return "今日到期"
        return f"剩余 {self.remaining} {unit}"


# --- computing the due date ---------------------------------------------------------------------------


def _known_intervals(clock: CaseClock, today: dt.date | None) -> list[tuple[dt.date, dt.date]] | None:
    """Suspended intervals after acceptance, merged; open ends resolved to ``today`` (None if unknown)."""
    assert clock.accepted_on is not None
    first_counted = clock.accepted_on + _ONE_DAY  # the acceptance day is never counted anyway
    spans = []
    for s in clock.suspensions:
        if today is not None and s.start > today:
            continue
        end = s.end if today is None or (s.end is not None and s.end <= today) else today
        if end is None:
            return None
        start = max(s.start, first_counted)
        if start <= end:
            spans.append((start, end))
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _due_with(clock: CaseClock, calendar: WorkCalendar, intervals: list[tuple[dt.date, dt.date]]) -> dt.date:
    """Walk the running stretches between suspensions until the limit is used up."""
    assert clock.accepted_on is not None
    working = clock.unit == "working_days"
    count = calendar.workdays_between if working else calendar.days_between
    cursor, left = clock.accepted_on, clock.total_limit
    for start, end in intervals:
        running = count(cursor, start - _ONE_DAY)  # running days in (cursor, start)
        if running >= left:
            break
        left -= running
        cursor = end
    if working:
        return calendar.add_workdays(cursor, left)
    return calendar.natural_deadline(cursor, left)


def due_date(clock: CaseClock, *, calendar: WorkCalendar, today: dt.date | None = None) -> dt.date | None:
    """The due date as of ``today`` (all recorded facts when None); None before acceptance or when unknown."""
    if clock.accepted_on is None or (today is not None and clock.accepted_on > today):
        return None
    intervals = _known_intervals(clock, today)
    if intervals is None:
        return None
    return _due_with(clock, calendar, intervals)


# --- reading the clock --------------------------------------------------------------------------------


def _late_days(clock: CaseClock, calendar: WorkCalendar, due: dt.date, day: dt.date) -> int:
    """Days late on ``day`` (0 when not after ``due``), at least 1 once the due date has passed."""
    if day <= due:
        return 0
    count = calendar.workdays_between if clock.unit == "working_days" else calendar.days_between
    return max(1, count(due, day))


def _in_effect(clock: CaseClock, today: dt.date) -> tuple[str, ...]:
    reasons = {s.reason for s in clock.suspensions if s.start <= today and (s.end is None or today <= s.end)}
    return tuple(r for r in SUSPENSION_REASONS if r in reasons)


def read_clock(
    clock: CaseClock, *, calendar: WorkCalendar, today: dt.date, warning_days: int = DEFAULT_WARNING_DAYS
) -> ClockReading:
    """The state of the case's clock on ``today``."""
    if warning_days < 0:
        raise DomainError(f"预警提前天数不能为负数：{warning_days}")
    due = due_date(clock, calendar=calendar, today=today)
    if due is None:
        return ClockReading("not_started", None, None, 0, None, "green", clock.unit)
    decided = clock.decided_on
    if decided is not None and decided <= today:
        late = _late_days(clock, calendar, due, decided)
        state = "done_late" if late else "done_on_time"
        return ClockReading(
            state, due, None, late, due + _ONE_DAY if late else None, STATE_LIGHTS[state], clock.unit
        )
    late = _late_days(clock, calendar, due, today)
    if late:
        return ClockReading("overdue", due, -late, late, due + _ONE_DAY, "red", clock.unit)
    count = calendar.workdays_between if clock.unit == "working_days" else calendar.days_between
    remaining = count(today, due)
    near = calendar.workdays_between(today, due) <= warning_days
    reasons = _in_effect(clock, today)
    if reasons:
        light = "yellow" if near else "green"
        return ClockReading("suspended", due, remaining, 0, None, light, clock.unit, reasons)
    state = "warning" if near else "normal"
    return ClockReading(state, due, remaining, 0, None, STATE_LIGHTS[state], clock.unit)
