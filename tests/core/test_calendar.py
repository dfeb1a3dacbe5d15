"""The working-day calendar: official data, 民法典 counting rules, O(1) index invariants, overrides, CLI."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import daiban.cli
from daiban.core.calendar import CalendarRangeError, DayOverride, WorkCalendar
from daiban.core.errors import DomainError

CAL = WorkCalendar.default()
FIRST, LAST = date(2016, 1, 1), date(2035, 12, 31)
TOTAL = CAL.ordinal(LAST)
RANGE_TEXT = "2016-01-01 至 2035-12-31"

in_range = st.dates(min_value=FIRST, max_value=LAST)
workday_ordinals = st.integers(min_value=1, max_value=TOTAL)
outside = st.one_of(
    st.dates(max_value=FIRST - timedelta(days=1)), st.dates(min_value=LAST + timedelta(days=1))
)


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- the shipped data -----------------------------------------------------------------------------------


def test_range_and_cache():
    assert (CAL.first, CAL.last) == (FIRST, LAST)
    assert WorkCalendar.default() is CAL


def test_every_official_day_matches_chinesecalendar():
    day = FIRST
    mismatches = []
    while day <= date(2026, 12, 31):
        if CAL.is_workday(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


def test_official_years_have_their_notice():
    for year in range(2016, 2027):
        assert CAL.is_official(year)
        assert re.fullmatch(r"国办发明电〔\d{4}〕\d+号(、国办发明电〔\d{4}〕\d+号)*", CAL.notice(year))
    assert CAL.notice(2026) == "国办发明电〔2025〕7号"
    assert CAL.notice(2020) == "国办发明电〔2019〕16号、国办发明电〔2020〕1号"  # with the extension


def test_february_2026():
    days = CAL.month(2026, 2)
    assert len(days) == 28
    assert sum(info.workday for info in days) == 16
    assert CAL.workdays_between(d("2026-01-31"), d("2026-02-28")) == 16
    assert CAL.is_workday(d("2026-02-14"))  # Saturday, 调休上班
    kinds = {info.day: info.kind for info in days}
    assert kinds[d("2026-02-14")] == "adjusted_workday"
    assert kinds[d("2026-02-17")] == "holiday"
    assert kinds[d("2026-02-20")] == "adjusted_rest"
    assert kinds[d("2026-02-24")] == "workday"
    assert kinds[d("2026-02-07")] == "weekend"
    assert all(info.official for info in days)
    assert next(i for i in days if i.day == d("2026-02-14")).name == "春节调休上班"


def test_2020_spring_festival_extension():
    for rest in ("2020-01-31", "2020-02-01", "2020-02-02"):  # 2-1 was a 调休 Saturday before the extension
        assert not CAL.is_workday(d(rest))
    assert CAL.is_workday(d("2020-02-03"))


def test_provisional_years():
    for year in range(2027, 2036):
        assert not CAL.is_official(year)
        assert CAL.notice(year) is None
        kinds = {info.kind for month in range(1, 13) for info in CAL.month(year, month)}
        assert not kinds & {"adjusted_workday", "adjusted_rest"}  # no 调休 without a notice
        assert not any(info.official for info in CAL.month(year, 10))
    assert not CAL.is_workday(d("2027-02-08"))  # Monday, third day of the Spring Festival


def test_provisional_years_rest_on_every_statutory_holiday_the_package_computes():
    computed = holidays.China(years=range(2027, 2036), language="zh_CN")
    statutory = [day for day, name in computed.items() if not name.startswith("休息日")]
    assert len(statutory) > 90
    assert [day for day in statutory if CAL.is_workday(day)] == []


# -- counting rules (民法典 arts. 201 and 203) -----------------------------------------------------------


def test_add_workdays_does_not_count_the_start_day():
    assert CAL.add_workdays(d("2026-02-13"), 1) == d("2026-02-14")
    assert CAL.add_workdays(d("2026-02-13"), 2) == d("2026-02-24")  # 15-23 are the Spring Festival break
    assert CAL.add_workdays(d("2026-02-15"), 1) == d("2026-02-24")  # a start on a rest day
    assert CAL.add_workdays(d("2026-02-24"), -1) == d("2026-02-14")
    assert CAL.add_workdays(d("2026-02-22"), -1) == d("2026-02-14")
    assert CAL.add_workdays(d("2026-02-22"), 0) == d("2026-02-22")
    assert CAL.add_workdays(d("2026-09-30"), 20) == d("2026-11-03")  # National Day: 10-1..7 rest, 10-10 works


def test_workdays_between_is_half_open_and_signed():
    assert CAL.workdays_between(d("2026-02-13"), d("2026-02-24")) == 2
    assert CAL.workdays_between(d("2026-02-24"), d("2026-02-13")) == -2
    assert CAL.workdays_between(d("2026-02-24"), d("2026-02-24")) == 0
    assert CAL.workdays_between(d("2026-02-15"), d("2026-02-23")) == 0


def test_next_and_previous_workday():
    assert CAL.next_workday(d("2026-02-13")) == d("2026-02-14")
    assert CAL.next_workday(d("2026-02-13"), inclusive=True) == d("2026-02-13")
    assert CAL.next_workday(d("2026-02-15"), inclusive=True) == d("2026-02-24")
    assert CAL.previous_workday(d("2026-02-24")) == d("2026-02-14")
    assert CAL.previous_workday(d("2026-02-24"), inclusive=True) == d("2026-02-24")
    assert CAL.previous_workday(d("2026-02-22"), inclusive=True) == d("2026-02-14")


def test_natural_days():
    assert CAL.add_days(d("2026-02-10"), 5) == d("2026-02-15")
    assert CAL.natural_deadline(d("2026-02-10"), 5) == d("2026-02-24")  # ends in the break: next workday
    assert CAL.natural_deadline(d("2026-02-10"), 3) == d("2026-02-13")
    assert CAL.natural_deadline(d("2026-02-10"), 4) == d("2026-02-14")  # a 调休 Saturday is a working day
    assert CAL.days_between(d("2026-02-10"), d("2026-03-10")) == 28
    assert CAL.days_between(d("2026-03-10"), d("2026-02-10")) == -28


def test_ordinal_space():
    assert CAL.ordinal(FIRST) == 0  # 2016-01-01 is 元旦: no working day yet
    assert CAL.date_of(1) == d("2016-01-04")
    assert CAL.ordinal(d("2026-02-22")) == CAL.ordinal(d("2026-02-14"))
    assert CAL.date_of(TOTAL) == CAL.previous_workday(LAST, inclusive=True)


def test_today_is_shanghai_date():
    before = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert CAL.today() in (before, before + timedelta(days=1))


# -- range errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_workday(d("2040-01-01")),
        lambda: CAL.workdays_between(d("2026-01-01"), d("2040-01-01")),
        lambda: CAL.workdays_between(d("2015-12-31"), d("2026-01-01")),
        lambda: CAL.add_workdays(d("2035-12-20"), 30),
        lambda: CAL.add_workdays(d("2016-01-10"), -30),
        lambda: CAL.add_days(d("2035-12-20"), 30),
        lambda: CAL.days_between(d("2026-01-01"), d("2036-01-01")),
        lambda: CAL.natural_deadline(d("2035-12-28"), 10),
        lambda: CAL.date_of(0),
        lambda: CAL.date_of(TOTAL + 1),
        lambda: CAL.month(2040, 1),
        lambda: CAL.ordinal(d("2015-06-01")),
    ],
)
def test_out_of_range_raises_with_the_range(call):
    with pytest.raises(CalendarRangeError, match=RANGE_TEXT) as caught:
        call()
    assert isinstance(caught.value, DomainError)


def test_range_error_names_the_date():
    with pytest.raises(CalendarRangeError, match=f"日期 2040-01-01 超出工作日历范围 {RANGE_TEXT}"):
        CAL.is_workday(d("2040-01-01"))


def test_bad_month_is_a_domain_error():
    with pytest.raises(DomainError, match="13"):
        CAL.month(2026, 13)


# -- overrides ----------------------------------------------------------------------------------------


def test_overrides_rebuild_without_touching_the_original():
    local = CAL.with_overrides(
        [DayOverride(d("2026-03-02"), False, "地方调休"), DayOverride(d("2026-03-07"), True, "地方调休上班")]
    )
    assert not local.is_workday(d("2026-03-02")) and local.is_workday(d("2026-03-07"))
    assert CAL.is_workday(d("2026-03-02")) and not CAL.is_workday(d("2026-03-07"))
    assert local.add_workdays(d("2026-02-28"), 1) == d("2026-03-03")
    assert CAL.add_workdays(d("2026-02-28"), 1) == d("2026-03-02")
    assert local.workdays_between(d("2026-02-28"), d("2026-03-06")) == 4
    assert CAL.workdays_between(d("2026-02-28"), d("2026-03-06")) == 5
    kinds = {info.day: info.kind for info in local.month(2026, 3)}
    assert kinds[d("2026-03-02")] == "adjusted_rest" and kinds[d("2026-03-07")] == "adjusted_workday"
    # A later override wins and overrides accumulate.
    again = local.with_overrides([DayOverride(d("2026-03-02"), True)])
    assert again.is_workday(d("2026-03-02")) and again.is_workday(d("2026-03-07"))
    # An override can also undo a holiday.
    assert CAL.with_overrides([DayOverride(d("2026-10-07"), True)]).is_workday(d("2026-10-07"))


def test_override_out_of_range_is_refused():
    with pytest.raises(CalendarRangeError, match=RANGE_TEXT):
        CAL.with_overrides([DayOverride(d("2040-01-01"), False, "x")])


def test_a_new_years_notice_loaded_as_data():
    notice = [
        DayOverride(d("2027-02-05"), False, "春节"),
        DayOverride(d("2027-02-08"), False, "春节"),
        DayOverride(d("2027-02-20"), True, "春节调休上班"),
    ]
    loaded = CAL.with_year(2027, notice, notice="国办发明电〔2026〕99号")
    assert loaded.is_official(2027) and loaded.notice(2027) == "国办发明电〔2026〕99号"
    assert loaded.is_workday(d("2027-02-20")) and loaded.is_workday(d("2027-02-09"))  # provisional 补假 gone
    assert not CAL.is_official(2027) and not CAL.is_workday(d("2027-02-09"))
    with pytest.raises(DomainError, match="2028-01-03"):
        CAL.with_year(2027, [DayOverride(d("2028-01-03"), False)], notice="x")


def test_from_data_builds_a_small_calendar_and_checks_its_input():
    data = {"first": "2030-01-01", "last": "2030-01-31", "years": {"2030": {"official": False, "days": []}}}
    small = WorkCalendar.from_data(data, [DayOverride(d("2030-01-01"), False, "元旦")])
    assert small.workdays_between(small.first, small.last) == 22
    assert not small.is_workday(d("2030-01-01"))
    with pytest.raises(DomainError, match="2030-02-30"):
        WorkCalendar.from_data({**data, "last": "2030-02-30"})


# -- invariants of the index (hypothesis) ------------------------------------------------------------


@given(workday_ordinals, st.integers(min_value=-4000, max_value=4000))
def test_workdays_between_inverts_add_workdays(k, n):
    assume(1 <= k + n <= TOTAL)
    start = CAL.date_of(k)
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    assert n == 0 or CAL.is_workday(end)


@given(in_range, st.integers(min_value=-3000, max_value=3000), st.integers(min_value=1, max_value=300))
def test_add_workdays_is_strictly_monotone(start, n, step):
    try:
        low, high = CAL.add_workdays(start, n), CAL.add_workdays(start, n + step)
    except CalendarRangeError:
        return
    assert low < high
    assert n == 0 or CAL.is_workday(low)


@given(in_range, in_range, in_range)
def test_workdays_between_is_additive(a, b, c):
    assert CAL.workdays_between(a, b) + CAL.workdays_between(b, c) == CAL.workdays_between(a, c)


@given(workday_ordinals)
def test_ordinal_of_date_of(k):
    assert CAL.ordinal(CAL.date_of(k)) == k


@given(st.dates(min_value=FIRST, max_value=date(2026, 12, 31)), st.integers(min_value=0, max_value=800))
def test_prefix_sums_match_an_independent_count(start, span):
    end = min(start + timedelta(days=span), date(2026, 12, 31))
    independent = len(chinese_calendar.get_workdays(start + timedelta(days=1), end)) if end > start else 0
    assert CAL.workdays_between(start, end) == independent


@given(outside)
def test_any_date_outside_the_range_raises(day):
    with pytest.raises(CalendarRangeError, match=RANGE_TEXT):
        CAL.is_workday(day)


# -- CLI ----------------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    # Note: only this command is registered, so the test does not depend on other commands' modules.
    monkeypatch.setattr(daiban.cli, "COMMANDS", ["calendar"])
    return daiban.cli.main


def test_cli_workdays(cli, capsys):
    assert cli(["calendar", "workdays", "2026-01-31", "2026-02-28"]) == 0
    assert capsys.readouterr().out == "16\n"


@pytest.mark.parametrize(
    ("start", "n", "expected"), [("2026-02-13", "2", "2026-02-24"), ("2026-02-24", "-1", "2026-02-14")]
)
def test_cli_add(cli, capsys, start, n, expected):
    assert cli(["calendar", "add", start, n]) == 0
    assert capsys.readouterr().out == f"{expected}\n"


def test_cli_show_official_month(cli, capsys):
    assert cli(["calendar", "show", "2026-02"]) == 0
    out = capsys.readouterr().out
    assert "2026年2月" in out and "一   二   三   四   五   六   日" in out
    assert " 14班 15休" in out and "图例" in out
    assert "本月工作日：16 天" in out and "国办发明电〔2025〕7号" in out and "暂行" not in out


def test_cli_show_provisional_month(cli, capsys):
    assert cli(["calendar", "show", "2030-10"]) == 0
    assert "暂行" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calendar", "workdays", "2026-13-01", "2026-02-01"], "日期 “2026-13-01” 无效"),
        (["calendar", "add", "abc", "3"], "日期 “abc” 无效"),
        (["calendar", "add", "2026-02-01", "abc"], "工作日数 “abc” 无效"),
        (["calendar", "workdays", "2026-01-01", "2040-01-01"], RANGE_TEXT),
        (["calendar", "show", "2026-13"], "月份 “2026-13” 无效"),
        (["calendar", "show", "2040-01"], RANGE_TEXT),
    ],
)
def test_cli_bad_input_is_one_chinese_line(cli, capsys, argv, message):
    assert cli(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_cli_usage_error_exits_2(cli, capsys):
    with pytest.raises(SystemExit) as caught:
        cli(["calendar", "add", "2026-02-01"])
    assert caught.value.code == 2
