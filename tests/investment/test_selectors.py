"""The investment figures users read: 序时进度, progress, the 四率 and the tables, on a hand-computed fixture.

The fixture (list year 2026, reported as of June; even pacing puts 序时进度 at 50%):

    project  category    butler dept  plan  Jan–Jun investment (funds)          milestones
    A        new_start   张三   发改  1200  Jan 100(80) Mar 200(100) Jun 150(150)  开工 3-10
    B        new_start   李四   经信   800  Feb 100(50) May 100(50)              开工 7-05 (after June)
    C        continuing  张三   —     2000  Jun 600(400)                        竣工 plan 5-31, done 5-20
    D        completing  李四   发改  1000  —                                   竣工 plan 4-30, done 6-10
    E        completing  张三   经信   500  —                                   竣工 plan 9-30 (not due)
Left out: A's July 999 (after the month), A's deleted April row, A's 2025 row, a reserve project, a deleted
project and a project of the 2025 list.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daiban.core.pacing import LINEAR, STRONG_START, format_rate
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.investment.selectors import (
    NO_DEPARTMENT,
    investment_by_department,
    investment_by_project,
    investment_four_rates,
    investment_summary,
)
from daiban.projects.models import Milestone

pytestmark = pytest.mark.django_db

D = Decimal
YEAR, MONTH = 2026, 6


def invest(project, month, amount, funds="0", year=YEAR, deleted=False):
    row = MonthlyInvestment.objects.create(
        project=project, year=year, month=month, amount=D(amount), funds_in_place=D(funds)
    )
    if deleted:
        MonthlyInvestment.all_objects.filter(pk=row.pk).update(
            deleted_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
        )


def milestone(kinds, project, code, planned_on=None, actual_on=None):
    Milestone.objects.create(project=project, kind=kinds[code], planned_on=planned_on, actual_on=actual_on)


@pytest.fixture
def world(project_factory, department_factory, butler, other_butler, milestone_kinds):
    kinds = {kind.code: kind for kind in milestone_kinds}
    fagai = department_factory(name="区发展和改革委员会", short_name="发改")
    jingxin = department_factory(name="区经济和信息化局", short_name="经信")

    def make(name, category, owner, department, plan, **extra):
        return project_factory(
            name=name,
            category=category,
            butler=owner,
            responsible_department=department,
            annual_plan=D(plan),
            year=extra.pop("year", YEAR),
            **extra,
        )

    a = make("A", "new_start", butler, fagai, "1200")
    b = make("B", "new_start", other_butler, jingxin, "800")
    c = make("C", "continuing", butler, None, "2000")
    d = make("D", "completing", other_butler, fagai, "1000")
    e = make("E", "completing", butler, jingxin, "500")
    invest(a, 1, "100", "80")
    invest(a, 3, "200", "100")
    invest(a, 6, "150", "150")
    invest(a, 7, "999", "999")
    invest(a, 4, "77", "77", deleted=True)
    invest(a, 6, "5000", "5000", year=2025)
    invest(b, 2, "100", "50")
    invest(b, 5, "100", "50")
    invest(c, 6, "600", "400")
    milestone(kinds, a, "started", actual_on=dt.date(2026, 3, 10))
    milestone(kinds, b, "started", actual_on=dt.date(2026, 7, 5))
    milestone(kinds, c, "completed", planned_on=dt.date(2026, 5, 31), actual_on=dt.date(2026, 5, 20))
    milestone(kinds, d, "completed", planned_on=dt.date(2026, 4, 30), actual_on=dt.date(2026, 6, 10))
    milestone(kinds, e, "completed", planned_on=dt.date(2026, 9, 30))
    reserve = make("储备项目", "reserve", butler, fagai, "300")
    invest(reserve, 3, "50", "50")
    gone = make("已删除项目", "new_start", butler, fagai, "700")
    invest(gone, 3, "100", "100")
    gone.deleted_at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    gone.save()
    last_year = make("去年项目", "new_start", butler, fagai, "900", year=2025)
    invest(last_year, 3, "100", "100")
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "fagai": fagai, "jingxin": jingxin}


def test_district_summary_is_hand_computed(world, dispatcher):
    summary = investment_summary(user=dispatcher, year=YEAR, month=MONTH)
    assert summary.as_of == dt.date(2026, 6, 30)
    assert summary.curve == LINEAR and summary.target is None
    assert summary.project_count == 5
    assert summary.annual_plan == D("5500")
    assert summary.completed == D("1250")  # A 450 + B 200 + C 600
    assert summary.funds_in_place == D("830")  # A 330 + B 100 + C 400
    assert summary.schedule_share == D("0.5")
    assert summary.schedule_amount == D("2750")
    assert summary.progress_ratio == D("1250") / D("2750")
    assert summary.gap_points == (D("1250") / D("5500") - D("0.5")) * 100
    assert summary.target_schedule_amount is None and summary.target_completion_rate is None


def test_four_rates_are_hand_computed(world, dispatcher):
    rates = investment_four_rates(user=dispatcher, year=YEAR, month=MONTH)
    # 开工率: A started in March; B's start in July is after the as-of date.
    assert (rates.started, rates.new_starts, rates.start_rate) == (1, 2, D("0.5"))
    assert rates.investment_completion_rate == D("1250") / D("5500")
    assert rates.funds_in_place_rate == D("830") / D("5500")
    # 按期竣工率: C on time, D late, E not due until September.
    assert (rates.completed_on_time, rates.due_to_complete, rates.on_time_completion_rate) == (1, 2, D("0.5"))
    assert format_rate(rates.investment_completion_rate) == "22.7%"
    # The summary carries exactly the same rates: one computation for every reader.
    assert investment_summary(user=dispatcher, year=YEAR, month=MONTH).rates == rates


def test_rates_move_with_the_month(world, dispatcher):
    march = investment_four_rates(user=dispatcher, year=YEAR, month=3)
    assert march.completed_investment == D("400")  # Jan 100 + Feb 100 + Mar 200
    assert march.due_to_complete == 0 and march.on_time_completion_rate is None
    july = investment_four_rates(user=dispatcher, year=YEAR, month=7)
    assert july.start_rate == 1
    assert july.completed_investment == D("2249")


def test_monthly_series_for_the_chart(world, dispatcher):
    series = investment_summary(user=dispatcher, year=YEAR, month=MONTH).series
    assert [point.month for point in series] == list(range(1, 13))
    assert [point.completed for point in series[:6]] == [
        D(x) for x in ("100", "100", "200", "0", "100", "750")
    ]
    assert [point.cumulative for point in series[:6]] == [
        D(x) for x in ("100", "200", "400", "400", "500", "1250")
    ]
    assert all(point.completed is None and point.cumulative is None for point in series[6:])
    assert series[2].pace == D("1375")  # 5500 × 3/12
    assert series[11].pace == D("5500") and series[11].schedule_share == 1


def test_target_with_a_strong_start_curve_changes_the_pace(world, dispatcher):
    InvestmentTarget.objects.create(
        year=YEAR, amount=D("10000"), pacing=[float(s) for s in STRONG_START.shares]
    )
    summary = investment_summary(user=dispatcher, year=YEAR, month=MONTH)
    assert summary.schedule_share == D("0.55")
    assert summary.schedule_amount == D("3025")
    assert summary.target == D("10000")
    assert summary.target_schedule_amount == D("5500")
    assert summary.target_completion_rate == D("0.125")
    assert investment_by_project(user=dispatcher, year=YEAR, month=MONTH)[0].schedule_share == D("0.55")


def test_butler_sees_only_their_projects(world, butler, other_butler):
    mine = investment_summary(user=butler, year=YEAR, month=MONTH)
    assert (mine.project_count, mine.annual_plan, mine.completed) == (3, D("3700"), D("1050"))
    assert (mine.rates.start_rate, mine.rates.on_time_completion_rate) == (1, 1)
    theirs = investment_summary(user=other_butler, year=YEAR, month=MONTH)
    assert (theirs.project_count, theirs.annual_plan, theirs.completed) == (2, D("1800"), D("200"))
    assert (theirs.rates.start_rate, theirs.rates.on_time_completion_rate) == (0, 0)
    assert [row.label for row in investment_by_project(user=butler, year=YEAR, month=MONTH)] == [
        "A",
        "C",
        "E",
    ]


def test_no_projects_gives_dashes_not_division_errors(world, no_role_user):
    summary = investment_summary(user=no_role_user, year=YEAR, month=MONTH)
    assert summary.project_count == 0 and summary.annual_plan == 0 and summary.completed == 0
    rates = summary.rates
    assert rates.start_rate is None
    assert rates.investment_completion_rate is None
    assert rates.funds_in_place_rate is None
    assert rates.on_time_completion_rate is None
    assert summary.progress_ratio is None and summary.gap_points is None
    assert format_rate(rates.start_rate) == "—"
    assert investment_by_project(user=no_role_user, year=YEAR, month=MONTH) == []
    assert investment_by_department(user=no_role_user, year=YEAR, month=MONTH) == []


def test_rows_by_project(world, dispatcher):
    rows = {row.label: row for row in investment_by_project(user=dispatcher, year=YEAR, month=MONTH)}
    assert list(rows) == ["A", "B", "C", "D", "E"]
    a = rows["A"]
    assert (a.key, a.annual_plan, a.month_amount, a.completed, a.funds_in_place) == (
        world["A"].pk,
        D("1200"),
        D("150"),
        D("450"),
        D("330"),
    )
    assert a.completion == D("0.375")
    assert a.gap_points == D("-12.5")  # 37.5% done vs 50% due
    assert a.progress_ratio == D("0.75")
    assert a.behind_schedule
    assert (a.department, a.butler, a.category) == ("区发展和改革委员会", "张三", "new_start")
    assert rows["C"].department == ""
    assert (rows["D"].completed, rows["D"].completion, rows["D"].gap_points) == (0, 0, D("-50"))
    assert (rows["C"].month_amount, rows["C"].gap_points) == (D("600"), D("-20"))


def test_a_project_without_a_plan_has_no_completion(world, dispatcher, project_factory):
    project_factory(name="F", category="continuing", annual_plan=D("0"), year=YEAR)
    row = next(
        row for row in investment_by_project(user=dispatcher, year=YEAR, month=MONTH) if row.label == "F"
    )
    assert row.completion is None and row.gap_points is None and row.progress_ratio is None
    assert not row.behind_schedule


def test_rows_by_department_add_up_to_the_summary(world, dispatcher):
    rows = investment_by_department(user=dispatcher, year=YEAR, month=MONTH)
    assert [row.label for row in rows] == ["区发展和改革委员会", "区经济和信息化局", NO_DEPARTMENT]
    fagai, jingxin, none = rows
    assert (fagai.key, fagai.project_count, fagai.annual_plan) == (world["fagai"].pk, 2, D("2200"))
    assert (fagai.month_amount, fagai.completed, fagai.funds_in_place) == (D("150"), D("450"), D("330"))
    assert fagai.completion == D("450") / D("2200")
    assert (jingxin.annual_plan, jingxin.month_amount, jingxin.completed) == (D("1300"), D("0"), D("200"))
    assert (none.key, none.annual_plan, none.completed, none.month_amount) == (
        None,
        D("2000"),
        D("600"),
        D("600"),
    )
    summary = investment_summary(user=dispatcher, year=YEAR, month=MONTH)
    assert sum(row.annual_plan for row in rows) == summary.annual_plan
    assert sum(row.completed for row in rows) == summary.completed
    assert sum(row.funds_in_place for row in rows) == summary.funds_in_place


def test_queries_do_not_grow_with_the_number_of_projects(world, dispatcher, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        investment_summary(user=dispatcher, year=YEAR, month=MONTH)
    with django_assert_max_num_queries(2):
        investment_by_project(user=dispatcher, year=YEAR, month=MONTH)
    with django_assert_max_num_queries(3):
        investment_by_department(user=dispatcher, year=YEAR, month=MONTH)
