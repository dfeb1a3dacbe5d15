"""The clock of one approval case, checked by hand across the 2026 holidays and by properties.

2026 (国办发明电〔2025〕7号): Spring Festival rest 02-15..02-23, Saturdays 02-14 and 02-28 are working days;
Mid-Autumn rest 09-25..09-27, National Day rest 10-01..10-07; Sunday 09-20 and Saturday 10-10 work.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.sla import CaseClock, Suspension, due_date, read_clock

CAL = WorkCalendar.default()
D = dt.date


def wd_clock(accepted: dt.date, limit: int, *suspensions: Suspension, **kw) -> CaseClock:
    return CaseClock(accepted_on=accepted, limit=limit, suspensions=tuple(suspensions), **kw)


def due(clock: CaseClock, today: dt.date | None = None) -> dt.date | None:
    return due_date(clock, calendar=CAL, today=today)


def read(clock: CaseClock, today: dt.date, **kw):
    return read_clock(clock, calendar=CAL, today=today, **kw)


# --- due dates, by hand --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "limit", "expected"),
    [
        # 02-13 (1), Sat 02-14 (2), festival, 02-24 (3), 02-25 (4), 02-26 (5)
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        # … 02-27 (6), Sat 02-28 (7), 03-02 (8), 03-03 (9), 03-04 (10)
        (D(2026, 2, 12), 10, D(2026, 3, 4)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the 调休 Saturday counts
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # accepted on it: the whole festival is skipped
        # 09-30 (1), holidays, 10-08 (2), 10-09 (3), Sat 10-10 (4), Sun 10-11 rest, 10-12 (5)
        (D(2026, 9, 29), 3, D(2026, 10, 9)),
        (D(2026, 9, 29), 4, D(2026, 10, 10)),
        (D(2026, 9, 29), 5, D(2026, 10, 12)),
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # Sunday 09-20 is a working day
    ],
)
def test_working_day_due_dates_across_2026_holidays(accepted, limit, expected):
    assert due(wd_clock(accepted, limit)) == expected


def test_suspension_adds_its_working_days():
    # Supplement 02-13..02-24 holds 02-13, 02-14, 02-24: the clock runs 02-25 (1) … 03-02 (5).
    clock = wd_clock(D(2026, 2, 12), 5, Suspension(D(2026, 2, 13), D(2026, 2, 24), "supplement"))
    assert due(clock) == D(2026, 3, 2)


def test_suspension_inside_the_festival_moves_nothing():
    clock = wd_clock(D(2026, 2, 12), 5, Suspension(D(2026, 2, 16), D(2026, 2, 22), "expert_review"))
    assert due(clock) == D(2026, 2, 26)


def test_overlapping_suspensions_count_once():
    # 02-24..02-26 suspended once: 02-13 (1), 02-14 (2), 02-27 (3), 02-28 (4), 03-02 (5).
    clock = wd_clock(
        D(2026, 2, 12),
        5,
        Suspension(D(2026, 2, 24), D(2026, 2, 25), "hearing"),
        Suspension(D(2026, 2, 25), D(2026, 2, 26), "testing"),
    )
    assert due(clock) == D(2026, 3, 2)


def test_suspension_from_the_acceptance_day_counts_only_later_days():
    # The acceptance day is never counted: only 02-13 is suspended.
    clock = wd_clock(D(2026, 2, 12), 5, Suspension(D(2026, 2, 12), D(2026, 2, 13), "supplement"))
    assert due(clock) == D(2026, 2, 27)


def test_suspension_after_the_due_date_does_not_rescue_a_late_case():
    clock = wd_clock(D(2026, 2, 12), 5, Suspension(D(2026, 3, 2), D(2026, 3, 3), "supplement"))
    assert due(clock) == D(2026, 2, 26)
    assert read(clock, D(2026, 3, 4)).state == "overdue"


def test_extension_adds_days_once():
    clock = wd_clock(D(2026, 2, 12), 5).with_extension(3)
    assert clock.extension_days == 3
    assert due(clock) == D(2026, 3, 2)  # 8 working days
    with pytest.raises(DomainError, match="只能批准一次"):
        clock.with_extension(2)
    with pytest.raises(DomainError, match="正数"):
        wd_clock(D(2026, 2, 12), 5).with_extension(-1)
    with pytest.raises(DomainError, match="延期天数不能为负数"):
        wd_clock(D(2026, 2, 12), 5, extension_days=-2)


@pytest.mark.parametrize(
    ("accepted", "limit", "suspension", "expected"),
    [
        (D(2026, 9, 20), 5, None, D(2026, 9, 28)),  # 09-25 is Mid-Autumn: the next working day
        (D(2026, 9, 24), 7, None, D(2026, 10, 8)),  # 10-01 → after National Day
        (D(2026, 2, 2), 10, None, D(2026, 2, 12)),
        (D(2026, 2, 2), 10, (D(2026, 2, 5), D(2026, 2, 6)), D(2026, 2, 14)),  # +2 days, a 调休 Saturday
        (D(2026, 2, 2), 10, (D(2026, 2, 5), D(2026, 2, 7)), D(2026, 2, 24)),  # +3 days, into the festival
    ],
)
def test_natural_day_limits(accepted, limit, suspension, expected):
    suspensions = (Suspension(*suspension, "testing"),) if suspension else ()
    clock = CaseClock(accepted_on=accepted, limit=limit, unit="natural_days", suspensions=suspensions)
    assert due(clock) == expected


# --- states ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state", "remaining", "overdue_days", "label"),
    [
        (D(2026, 2, 12), "normal", 5, 0, "剩余 5 个工作日"),
        (D(2026, 2, 20), "normal", 3, 0, "剩余 3 个工作日"),  # a festival day: nothing counts down
        (D(2026, 2, 24), "warning", 2, 0, "剩余 2 个工作日"),
        (D(2026, 2, 25), "warning", 1, 0, "剩余 1 个工作日"),
        (D(2026, 2, 26), "warning", 0, 0, "今日到期"),
        (D(2026, 2, 27), "overdue", -1, 1, "逾期 1 个工作日"),
        (D(2026, 3, 1), "overdue", -2, 2, "逾期 2 个工作日"),  # Sunday: the 调休 Saturday counted
        (D(2026, 3, 2), "overdue", -3, 3, "逾期 3 个工作日"),
    ],
)
def test_state_transitions(today, state, remaining, overdue_days, label):
    reading = read(wd_clock(D(2026, 2, 12), 5), today)
    assert (reading.state, reading.remaining, reading.overdue_days, reading.label()) == (
        state,
        remaining,
        overdue_days,
        label,
    )
    assert reading.due_on == D(2026, 2, 26)
    assert reading.first_overdue_on == (D(2026, 2, 27) if state == "overdue" else None)
    assert reading.light == {"normal": "green", "warning": "yellow", "overdue": "red"}[state]


def test_warning_lead_is_configurable():
    clock = wd_clock(D(2026, 2, 12), 5)
    assert read(clock, D(2026, 2, 14), warning_days=3).state == "warning"  # 3 left
    assert read(clock, D(2026, 2, 24), warning_days=0).state == "normal"
    assert read(clock, D(2026, 2, 26), warning_days=0).state == "warning"
    with pytest.raises(DomainError):
        read(clock, D(2026, 2, 24), warning_days=-1)


def test_done_on_time_and_late():
    on_time = read(wd_clock(D(2026, 2, 12), 5, decided_on=D(2026, 2, 26)), D(2026, 3, 10))
    assert (on_time.state, on_time.light, on_time.overdue_days, on_time.label()) == (
        "done_on_time",
        "green",
        0,
        "按期办结",
    )
    late = read(wd_clock(D(2026, 2, 12), 5, decided_on=D(2026, 3, 2)), D(2026, 3, 10))
    assert (late.state, late.light, late.overdue_days) == ("done_late", "red", 3)
    assert late.first_overdue_on == D(2026, 2, 27)
    assert late.label() == "超期办结（逾期 3 个工作日）"


def test_decided_on_a_rest_day_after_the_due_date_is_late_by_one():
    # Accepted Monday 03-02, 4 working days: due Friday 03-06; decided Saturday 03-07.
    reading = read(wd_clock(D(2026, 3, 2), 4, decided_on=D(2026, 3, 7)), D(2026, 3, 9))
    assert (reading.state, reading.overdue_days, reading.due_on) == ("done_late", 1, D(2026, 3, 6))


def test_reading_is_as_of_today():
    clock = wd_clock(
        D(2026, 2, 12), 5, Suspension(D(2026, 2, 24), D(2026, 2, 25), "supplement"), decided_on=D(2026, 2, 28)
    )
    assert read(clock, D(2026, 2, 11)).state == "not_started"  # accepted later
    before = read(clock, D(2026, 2, 20))
    assert (before.state, before.due_on) == ("normal", D(2026, 2, 26))  # suspension not yet known
    assert read(clock, D(2026, 2, 24)).state == "suspended"
    after = read(clock, D(2026, 2, 27))  # decision not yet known; due 02-28 after the suspension
    assert (after.state, after.due_on, after.remaining) == ("warning", D(2026, 2, 28), 1)
    assert read(clock, D(2026, 2, 28)).state == "done_on_time"


def test_not_started():
    reading = read(CaseClock(accepted_on=None, limit=20), D(2026, 3, 1))
    assert (reading.state, reading.due_on, reading.remaining, reading.light) == (
        "not_started",
        None,
        None,
        "green",
    )
    assert reading.label() == "未受理"
    assert due(CaseClock(accepted_on=None, limit=20)) is None


def test_open_suspension_freezes_the_clock():
    clock = wd_clock(D(2026, 2, 12), 5, Suspension(D(2026, 2, 24), None, "expert_review"))
    assert due(clock) is None  # unknown until the condition is cleared
    first = read(clock, D(2026, 2, 24))
    later = read(clock, D(2026, 3, 3))
    assert first.state == later.state == "suspended"
    assert first.label() == "已挂起（专家评审）"
    assert first.remaining == later.remaining == 3  # 02-13 and 02-14 were used
    assert first.due_on == D(2026, 2, 27)  # as if cleared today: 02-25 … 02-27
    assert later.due_on == CAL.add_workdays(D(2026, 3, 3), 3)
    assert first.light == "green"
    assert read(clock, D(2026, 2, 24), warning_days=3).light == "yellow"


def test_several_reasons_in_effect():
    clock = wd_clock(
        D(2026, 2, 12),
        5,
        Suspension(D(2026, 2, 13), None, "testing"),
        Suspension(D(2026, 2, 13), D(2026, 2, 25), "supplement"),
    )
    assert read(clock, D(2026, 2, 24)).label() == "已挂起（补正、检测）"
    assert read(clock, D(2026, 2, 26)).label() == "已挂起（检测）"


def test_natural_day_labels():
    clock = CaseClock(accepted_on=D(2026, 2, 2), limit=10, unit="natural_days")
    assert read(clock, D(2026, 2, 3)).label() == "剩余 9 天"
    late = read(clock, D(2026, 2, 15))
    assert (late.label(), late.first_overdue_on) == ("逾期 3 天", D(2026, 2, 13))


# --- validation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Suspension(D(2026, 3, 5), D(2026, 3, 4), "supplement"), "早于开始日"),
        (lambda: Suspension(D(2026, 3, 5), None, "lunch"), "未知的挂起原因“lunch”"),
        (lambda: wd_clock(D(2026, 3, 5), 5, Suspension(D(2026, 3, 4), None, "hearing")), "早于受理日"),
        (lambda: wd_clock(D(2026, 3, 5), 5, decided_on=D(2026, 3, 4)), "办结日 2026年3月4日 早于受理日"),
        (lambda: CaseClock(None, 5, suspensions=(Suspension(D(2026, 3, 5), None, "testing"),)), "尚未受理"),
        (lambda: CaseClock(None, 5, decided_on=D(2026, 3, 5)), "尚未受理"),
        (lambda: wd_clock(D(2026, 3, 5), -1), "不能为负数"),
        (lambda: CaseClock(D(2026, 3, 5), 5, unit="hours"), "未知的时限单位“hours”"),
        (
            lambda: wd_clock(
                D(2026, 3, 2), 5, Suspension(D(2026, 3, 3), None, "testing"), decided_on=D(2026, 3, 4)
            ),
            "必须填写结束日",
        ),
        (
            lambda: wd_clock(
                D(2026, 3, 2),
                5,
                Suspension(D(2026, 3, 5), D(2026, 3, 6), "testing"),
                decided_on=D(2026, 3, 4),
            ),
            "晚于办结日",
        ),
    ],
)
def test_invalid_clocks_are_refused_in_chinese(make, message):
    with pytest.raises(DomainError, match=message):
        make()


# --- properties -----------------------------------------------------------------------------------------

days = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
limits = st.integers(min_value=0, max_value=60)
spans = st.tuples(st.integers(min_value=0, max_value=90), st.integers(min_value=0, max_value=30))


def _suspensions(accepted: dt.date, raw: list[tuple[int, int]]) -> tuple[Suspension, ...]:
    return tuple(
        Suspension(
            accepted + dt.timedelta(days=off), accepted + dt.timedelta(days=off + length), "supplement"
        )
        for off, length in raw
    )


def _brute_force_due(accepted: dt.date, limit: int, suspensions: tuple[Suspension, ...]) -> dt.date:
    """Day by day: each working day after acceptance outside every suspension uses one day of the limit."""
    day, left = accepted, limit
    while left:
        day += dt.timedelta(days=1)
        if CAL.is_workday(day) and not any(s.start <= day <= s.end for s in suspensions):
            left -= 1
    return day


@settings(max_examples=200, deadline=None)
@given(days, limits)
def test_without_suspensions_due_is_add_workdays(accepted, limit):
    assert due(wd_clock(accepted, limit)) == CAL.add_workdays(accepted, limit)


@settings(max_examples=200, deadline=None)
@given(days, limits)
def test_natural_days_without_suspensions_is_natural_deadline(accepted, limit):
    clock = CaseClock(accepted_on=accepted, limit=limit, unit="natural_days")
    assert due(clock) == CAL.natural_deadline(accepted, limit)


@settings(max_examples=200, deadline=None)
@given(days, limits, st.lists(spans, max_size=4))
def test_due_matches_a_day_by_day_walk(accepted, limit, raw):
    suspensions = _suspensions(accepted, raw)
    assert due(wd_clock(accepted, limit, *suspensions)) == _brute_force_due(accepted, limit, suspensions)


@settings(max_examples=200, deadline=None)
@given(days, limits, st.integers(min_value=0, max_value=20), st.lists(spans, max_size=3))
def test_due_is_monotone_in_the_limit(accepted, limit, more, raw):
    suspensions = _suspensions(accepted, raw)
    assert due(wd_clock(accepted, limit, *suspensions)) <= due(wd_clock(accepted, limit + more, *suspensions))


@settings(max_examples=200, deadline=None)
@given(days, limits, st.lists(spans, min_size=1, max_size=3), st.integers(min_value=0, max_value=20))
@pytest.mark.parametrize("unit", ["working_days", "natural_days"])
def test_due_is_monotone_in_suspension_length(unit, accepted, limit, raw, longer):
    shorter = _suspensions(accepted, raw)
    first = shorter[0]
    stretched = (Suspension(first.start, first.end + dt.timedelta(days=longer), first.reason), *shorter[1:])
    a = due(CaseClock(accepted_on=accepted, limit=limit, unit=unit, suspensions=shorter))
    b = due(CaseClock(accepted_on=accepted, limit=limit, unit=unit, suspensions=stretched))
    assert a <= b


@settings(max_examples=200, deadline=None)
@given(days, limits, st.integers(min_value=1, max_value=80))
def test_suspension_on_rest_days_only_does_not_move_the_due_date(accepted, limit, offset):
    start = accepted + dt.timedelta(days=offset)
    while CAL.is_workday(start):
        start += dt.timedelta(days=1)
    end = CAL.next_workday(start) - dt.timedelta(days=1)  # the whole run of rest days
    clock = wd_clock(accepted, limit, Suspension(start, end, "hearing"))
    assert due(clock) == CAL.add_workdays(accepted, limit)


@settings(max_examples=100, deadline=None)
@given(
    days, st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=60), st.integers(0, 40)
)
def test_remaining_is_frozen_while_suspended(accepted, limit, offset, waited):
    start = accepted + dt.timedelta(days=offset)
    clock = wd_clock(accepted, limit, Suspension(start, None, "testing"))
    first = read(clock, start)
    later = read(clock, start + dt.timedelta(days=waited))
    if first.state == "suspended":
        assert later.state == "suspended"
        assert later.remaining == first.remaining
