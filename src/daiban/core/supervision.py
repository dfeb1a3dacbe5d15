"""The clock of a coordination issue and its escalation ladder (督办), on the working-day calendar.

Semantics:

* Level 0 is the responsible person (责任人) with the issue's own deadline: raised on day R with N working
  days, the issue is due on ``add_workdays(R, N)`` (R itself is not counted, like every working-day limit).
* Escalation level k ≥ 1 starts on the first working day after level k−1's due date and lasts its own
  ``extra_days`` working days: it is due on ``add_workdays(due[k−1], extra_days[k])``.
* As of ``today`` the issue is at the highest level whose start is on or before ``today``; past the last
  level's due date it stays at the last level (there is no one higher to hand it to).
* Light of an issue still being worked on: red once ``today`` is after the base due date (it is overdue, even
  while escalated), yellow when at most ``warning_days`` working days are left (0 = due today), else green.
  A resolved or closed issue has no light ("").
* Overdue working days count from the base due date (exclusive) to ``today`` (inclusive), and are at least 1
  once the due date has passed (a due Friday, read on Saturday: late by 1).

Pure: no Django. ``calendar`` is anything with ``add_workdays`` and ``workdays_between`` (core.calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from daiban.core.errors import DomainError

DEFAULT_WARNING_DAYS = 2
LIGHTS = ("green", "yellow", "red")


class Calendar(Protocol):
    def add_workdays(self, day: dt.date, n: int) -> dt.date: ...

    def workdays_between(self, start: dt.date, end: dt.date) -> int: ...


@dataclass(frozen=True)
class Rung:
    """One escalation level after the base: its name and the working days it adds."""

    name: str
    extra_days: int

    def __post_init__(self) -> None:
        if self.extra_days < 1:
            raise DomainError(f"督办级别“{self.name}”的时限至少为 1 个工作日")


# The district's default ladder (admins change it as data: coordination.EscalationLevel).
DEFAULT_BASE_NAME = "服务专员"
DEFAULT_RUNGS = (Rung("项目管家", 3), Rung("部门负责人", 3), Rung("区领导", 5))


@dataclass(frozen=True)
class Span:
    """The time one level holds the issue: from ``starts_on`` to ``due_on`` (both working days)."""

    level: int
    name: str
    starts_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class Reading:
    """An issue's clock as of one day."""

    level: int  # 0 = with the responsible person, k = escalated to rung k
    spans: tuple[Span, ...]  # every level, 0 first
    light: str  # green / yellow / red, "" when no longer active
    days_left: int  # working days to the base due date; negative once overdue
    overdue_days: int  # 0 unless overdue

    @property
    def due_on(self) -> dt.date:
        return self.spans[0].due_on

    @property
    def level_due_on(self) -> dt.date:
        return self.spans[self.level].due_on

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def base_due(*, raised_on: dt.date, deadline_days: int, calendar: Calendar) -> dt.date:
    """The responsible person's due date: the ``deadline_days``-th working day after ``raised_on``."""
    if deadline_days < 1:
        raise DomainError("办理时限至少为 1 个工作日")
    return calendar.add_workdays(raised_on, deadline_days)


def ladder(
    *,
    raised_on: dt.date,
    deadline_days: int,
    rungs: Sequence[Rung],
    calendar: Calendar,
    base_name: str = DEFAULT_BASE_NAME,
) -> tuple[Span, ...]:
    """Every level's span, level 0 (the responsible person's base deadline) first."""
    due = base_due(raised_on=raised_on, deadline_days=deadline_days, calendar=calendar)
    return ladder_from_due(
        raised_on=raised_on, due_on=due, rungs=rungs, calendar=calendar, base_name=base_name
    )


def ladder_from_due(
    *,
    raised_on: dt.date,
    due_on: dt.date,
    rungs: Sequence[Rung],
    calendar: Calendar,
    base_name: str = DEFAULT_BASE_NAME,
) -> tuple[Span, ...]:
    """The ladder from a base due date already fixed (stored when the issue was raised)."""
    spans, due = [Span(0, base_name, raised_on, due_on)], due_on
    for index, rung in enumerate(rungs, start=1):
        start = calendar.add_workdays(due, 1)
        due = calendar.add_workdays(due, rung.extra_days)
        spans.append(Span(index, rung.name, start, due))
    return tuple(spans)


def level_on(spans: Sequence[Span], today: dt.date) -> int:
    """The highest level whose span has started by ``today``."""
    level = 0
    for span in spans[1:]:
        if span.starts_on > today:
            break
        level = span.level
    return level


def light(
    *,
    due_on: dt.date,
    today: dt.date,
    calendar: Calendar,
    active: bool = True,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> str:
    if not active:
        return ""
    if today > due_on:
        return "red"
    return "yellow" if calendar.workdays_between(today, due_on) <= warning_days else "green"


def overdue_days(*, due_on: dt.date, today: dt.date, calendar: Calendar) -> int:
    if today <= due_on:
        return 0
    return max(1, calendar.workdays_between(due_on, today))


def read(
    *,
    raised_on: dt.date,
    deadline_days: int,
    rungs: Sequence[Rung],
    calendar: Calendar,
    today: dt.date,
    active: bool = True,
    warning_days: int = DEFAULT_WARNING_DAYS,
    base_name: str = DEFAULT_BASE_NAME,
) -> Reading:
    """The issue's level, light and overdue days as of ``today``.

    ``active`` False (resolved/closed): no light, but the spans and the level the dates imply are still given
    (the stored level of a closed issue is what it reached while open).
    """
    due = base_due(raised_on=raised_on, deadline_days=deadline_days, calendar=calendar)
    return read_from_due(
        raised_on=raised_on,
        due_on=due,
        rungs=rungs,
        calendar=calendar,
        today=today,
        active=active,
        warning_days=warning_days,
        base_name=base_name,
    )


def read_from_due(
    *,
    raised_on: dt.date,
    due_on: dt.date,
    rungs: Sequence[Rung],
    calendar: Calendar,
    today: dt.date,
    active: bool = True,
    warning_days: int = DEFAULT_WARNING_DAYS,
    base_name: str = DEFAULT_BASE_NAME,
) -> Reading:
    spans = ladder_from_due(
        raised_on=raised_on, due_on=due_on, rungs=rungs, calendar=calendar, base_name=base_name
    )
    late = overdue_days(due_on=due_on, today=today, calendar=calendar)
    return Reading(
        level=level_on(spans, today),
        spans=spans,
        light=light(due_on=due_on, today=today, calendar=calendar, active=active, warning_days=warning_days),
        days_left=-late if late else calendar.workdays_between(today, due_on),
        overdue_days=late,
    )
