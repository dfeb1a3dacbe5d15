"""The escalation clock of a coordination issue (core.supervision): by hand across the 2026 holidays, and by
properties on the real calendar.

2026: Spring Festival rest 02-15..02-23 (Saturdays 02-14 and 02-28 work); National Day rest 10-01..10-07
(Sunday 09-20 and Saturday 10-10 work).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.supervision import DEFAULT_RUNGS, Rung, ladder, level_on, light, overdue_days, read

CAL = WorkCalendar.default()
D = dt.date


def reading(raised: dt.date, days: int, today: dt.date, **kw):
    return read(raised_on=raised, deadline_days=days, rungs=DEFAULT_RUNGS, calendar=CAL, today=today, **kw)


def test_ladder_across_national_day():
    # Raised Tue 09-29 with 5 working days: 09-30 (1), rest 10-01..07, 10-08 (2), 10-09 (3), Sat 10-10 (4),
    # 10-12 (5). 项目管家 +3: 10-13..10-15; 部门负责人 +3: 10-16..10-20; 区领导 +5: 10-21..10-27.
    spans = ladder(raised_on=D(2026, 9, 29), deadline_days=5, rungs=DEFAULT_RUNGS, calendar=CAL)
    assert [(s.name, s.starts_on, s.due_on) for s in spans] == [
        ("服务专员", D(2026, 9, 29), D(2026, 10, 12)),
        ("项目管家", D(2026, 10, 13), D(2026, 10, 15)),
        ("部门负责人", D(2026, 10, 16), D(2026, 10, 20)),
        ("区领导", D(2026, 10, 21), D(2026, 10, 27)),
    ]


def test_escalation_waits_for_the_working_day_after_the_holiday():
    # Due Wed 09-30 (1 working day after 09-29): the holiday is not "late time"; level 1 starts on 10-08.
    assert reading(D(2026, 9, 29), 1, D(2026, 9, 30)).level == 0
    holiday = reading(D(2026, 9, 29), 1, D(2026, 10, 5))
    assert (holiday.level, holiday.light, holiday.overdue_days) == (0, "red", 1)
    first_day = reading(D(2026, 9, 29), 1, D(2026, 10, 8))
    assert first_day.level == 1
    assert first_day.spans[1].starts_on == D(2026, 10, 8)
    assert first_day.level_due_on == D(2026, 10, 10)  # 10-08, 10-09, Sat 10-10 (调休 working day)


def test_spring_festival_deadline_and_escalation():
    # Raised Fri 02-13 with 5 working days: Sat 02-14 (1), festival, 02-24 (2) … 02-27 (5).
    r = reading(D(2026, 2, 13), 5, D(2026, 2, 20))
    assert (r.due_on, r.level, r.light, r.days_left) == (D(2026, 2, 27), 0, "green", 4)
    assert reading(D(2026, 2, 13), 5, D(2026, 2, 25)).light == "yellow"  # 2 working days left
    # Level 1 starts on the 调休 Saturday 02-28, a working day.
    assert reading(D(2026, 2, 13), 5, D(2026, 2, 28)).spans[1].starts_on == D(2026, 2, 28)
    late = reading(D(2026, 2, 13), 5, D(2026, 3, 2))
    assert (late.level, late.overdue_days, late.light) == (1, 2, "red")


def test_stays_at_the_last_level():
    r = reading(D(2026, 3, 2), 1, D(2026, 6, 30))
    assert r.level == 3
    assert r.level_due_on == r.spans[-1].due_on < D(2026, 6, 30)


def test_light_and_days_left():
    due = D(2026, 3, 10)  # Tue
    assert light(due_on=due, today=D(2026, 3, 5), calendar=CAL) == "green"  # 3 working days left
    assert light(due_on=due, today=D(2026, 3, 6), calendar=CAL) == "yellow"  # 2 left
    assert light(due_on=due, today=due, calendar=CAL) == "yellow"  # due today
    assert light(due_on=due, today=D(2026, 3, 11), calendar=CAL) == "red"
    assert light(due_on=due, today=D(2026, 3, 11), calendar=CAL, active=False) == ""
    assert light(due_on=due, today=D(2026, 3, 5), calendar=CAL, warning_days=3) == "yellow"


def test_overdue_days_at_least_one_once_past():
    # Due Fri 03-06, read on Sat 03-07: one day late although no working day passed.
    assert overdue_days(due_on=D(2026, 3, 6), today=D(2026, 3, 7), calendar=CAL) == 1
    assert overdue_days(due_on=D(2026, 3, 6), today=D(2026, 3, 10), calendar=CAL) == 2
    assert overdue_days(due_on=D(2026, 3, 6), today=D(2026, 3, 6), calendar=CAL) == 0


def test_bad_input_is_a_domain_error():
    with pytest.raises(DomainError):
        Rung("项目管家", 0)
    with pytest.raises(DomainError):
        ladder(raised_on=D(2026, 3, 2), deadline_days=0, rungs=DEFAULT_RUNGS, calendar=CAL)


# --- properties ------------------------------------------------------------------------------------------

days = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))
limits = st.integers(min_value=1, max_value=30)
rung_lists = st.lists(st.builds(Rung, st.just("级"), st.integers(min_value=1, max_value=10)), max_size=5)


@settings(max_examples=300, deadline=None)
@given(raised=days, limit=limits, rungs=rung_lists)
def test_spans_chain_on_working_days(raised, limit, rungs):
    spans = ladder(raised_on=raised, deadline_days=limit, rungs=rungs, calendar=CAL)
    assert len(spans) == len(rungs) + 1
    assert CAL.workdays_between(raised, spans[0].due_on) == limit
    for previous, span, rung in zip(spans, spans[1:], rungs, strict=False):
        # Each level starts on the first working day after the previous one is due, and lasts its days.
        assert CAL.is_workday(span.starts_on) and CAL.is_workday(span.due_on)
        assert CAL.workdays_between(previous.due_on, span.starts_on) == 1
        assert CAL.workdays_between(previous.due_on, span.due_on) == rung.extra_days
        assert span.starts_on <= span.due_on


@settings(max_examples=300, deadline=None)
@given(raised=days, limit=limits, rungs=rung_lists, a=st.integers(0, 120), b=st.integers(0, 120))
def test_level_never_goes_down_as_time_passes(raised, limit, rungs, a, b):
    early, late = sorted((a, b))
    first = read(
        raised_on=raised, deadline_days=limit, rungs=rungs, calendar=CAL, today=raised + dt.timedelta(early)
    )
    second = read(
        raised_on=raised, deadline_days=limit, rungs=rungs, calendar=CAL, today=raised + dt.timedelta(late)
    )
    assert first.level <= second.level
    assert first.overdue_days <= second.overdue_days


@settings(max_examples=300, deadline=None)
@given(raised=days, limit=limits, rungs=rung_lists, offset=st.integers(0, 150))
def test_reading_is_consistent(raised, limit, rungs, offset):
    today = raised + dt.timedelta(offset)
    r = read(raised_on=raised, deadline_days=limit, rungs=rungs, calendar=CAL, today=today)
    # Escalated only after the base due date, and exactly to the levels that have started.
    assert (r.level > 0) <= (today > r.due_on)
    assert r.level == level_on(r.spans, today)
    assert r.spans[r.level].starts_on <= today
    if r.level + 1 < len(r.spans):
        assert r.spans[r.level + 1].starts_on > today
    # Red exactly when overdue; overdue days match the days left.
    assert (r.light == "red") == (today > r.due_on) == (r.overdue_days > 0)
    assert r.days_left == (-r.overdue_days if r.overdue_days else CAL.workdays_between(today, r.due_on))
    assert (r.light == "yellow") == (0 <= r.days_left <= 2 and r.overdue_days == 0)
    inactive = read(
        raised_on=raised, deadline_days=limit, rungs=rungs, calendar=CAL, today=today, active=False
    )
    assert inactive.light == ""
