import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daiban.core.errors import DomainError
from daiban.core.pacing import (
    LINEAR,
    PRESETS,
    STRONG_START,
    format_rate,
    gap_points,
    month_end,
    parse_curve,
    preset,
    progress_ratio,
    rate,
    schedule_progress,
    schedule_progress_on,
)

D = Decimal


def test_default_curve_is_month_over_twelve():
    assert parse_curve(None) == LINEAR
    assert parse_curve([]) == LINEAR
    assert schedule_progress(LINEAR, 6) == D("0.5")
    assert schedule_progress(LINEAR, 3) == D("0.25")
    assert schedule_progress(LINEAR, 12) == 1


def test_strong_start_preset_has_thirty_percent_by_march():
    assert schedule_progress(STRONG_START, 3) == D("0.30")
    assert schedule_progress(preset("strong_start"), 6) == D("0.55")
    assert set(PRESETS) >= {"linear", "strong_start"}


def test_unknown_preset_is_named():
    with pytest.raises(DomainError, match="未知的序时进度曲线预设：fast"):
        preset("fast")


def test_curve_from_stored_strings_floats_and_ints_round_trips():
    curve = parse_curve([0.1, "0.2", D("0.3"), 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1])
    assert schedule_progress(curve, 1) == D("0.1")  # not 0.1000000000000000055…
    assert parse_curve(curve.as_data()) == curve


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["0.5"] * 11, "应有 12 个月的累计比例，实际为 11 个"),
        (["0.1", "0.05", *["1"] * 10], "2 月的累计比例 0.05 小于上月的 0.1"),
        (["-0.1", *["1"] * 11], "1 月的累计比例 -0.1 应在 0 到 1 之间"),
        (["0.5", "1.2", *["1"] * 10], "2 月的累计比例 1.2 应在 0 到 1 之间"),
        ([*["0.5"] * 11, "0.9"], "12 月的累计比例应为 1"),
        (["abc", *["1"] * 11], "1 月的累计比例不是有效数字：abc"),
        (["NaN", *["1"] * 11], "1 月的累计比例不是有效数字"),
        ([True, *["1"] * 11], "1 月的累计比例不是有效数字"),
    ],
)
def test_invalid_curves_are_refused_in_chinese(values, message):
    with pytest.raises(DomainError, match=message):
        parse_curve(values)


@pytest.mark.parametrize("month", [0, 13, -1, True, "3"])
def test_month_out_of_range_is_refused(month):
    with pytest.raises(DomainError, match="月份应为 1 到 12"):
        schedule_progress(LINEAR, month)


def test_progress_on_a_date_interpolates_within_the_month():
    # April 2026 has 30 days; 开门红: March-end 0.30, April-end 0.38, so 15 April is halfway: 0.34.
    assert schedule_progress_on(STRONG_START, dt.date(2026, 4, 15)) == D("0.34")
    assert schedule_progress_on(STRONG_START, dt.date(2026, 4, 30)) == D("0.38")
    assert schedule_progress_on(LINEAR, dt.date(2026, 4, 30)) == schedule_progress(LINEAR, 4)
    assert schedule_progress_on(STRONG_START, dt.date(2026, 1, 31)) == D("0.08")
    assert schedule_progress_on(STRONG_START, dt.date(2026, 12, 31)) == 1


def test_month_end_handles_leap_february():
    assert month_end(2024, 2) == dt.date(2024, 2, 29)
    assert month_end(2026, 2) == dt.date(2026, 2, 28)


def test_rates_with_zero_denominators_are_none_and_shown_as_dash():
    assert rate(5, 0) is None
    assert rate(D("5"), None) is None
    assert progress_ratio(D("10"), D("0"), D("0.5")) is None
    assert gap_points(None, D("0.5")) is None
    assert format_rate(None) == "—"
    assert format_rate(rate(3, 8)) == "37.5%"


def test_progress_ratio_and_gap():
    # Plan 1200, half the year gone under even pacing: 600 due; 450 done = 75% of pace, 12.5 points behind.
    assert progress_ratio(D("450"), D("1200"), D("0.5")) == D("0.75")
    assert gap_points(rate(D("450"), D("1200")), D("0.5")) == D("-12.5")


shares = st.decimals(min_value=0, max_value=1, places=4)


@st.composite
def curves(draw):
    values = sorted(draw(st.lists(shares, min_size=11, max_size=11)))
    return parse_curve([*values, D(1)])


@given(curves())
def test_schedule_progress_is_non_decreasing_and_complete_in_december(curve):
    by_month = [schedule_progress(curve, month) for month in range(1, 13)]
    assert by_month == sorted(by_month)
    assert by_month[-1] == 1
    assert all(0 <= share <= 1 for share in by_month)


@given(curves(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 30)))
def test_progress_on_dates_never_goes_backwards(curve, day):
    today = schedule_progress_on(curve, day)
    tomorrow_day = day + dt.timedelta(days=1)
    tomorrow = schedule_progress_on(curve, tomorrow_day)
    if tomorrow_day.year != day.year:
        return  # a new year's pace starts again from January
    assert today <= tomorrow
    assert 0 <= today <= 1


@given(st.lists(shares, min_size=12, max_size=12))
def test_any_list_is_either_a_valid_curve_or_a_domain_error(values):
    try:
        curve = parse_curve(values)
    except DomainError:
        assert values != sorted(values) or values[-1] != 1
    else:
        assert curve.shares[-1] == 1
