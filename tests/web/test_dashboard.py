"""The 驾驶舱: its figures are the selectors' figures; every count clicks through to a list of that many."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from daiban.investment.selectors import investment_summary
from daiban.projects.dashboard import dashboard_default_month, dashboard_figures

pytestmark = pytest.mark.django_db

URL = "/dashboard/?year=2026&month=6"


def listed_count(client, url: str) -> int:
    html = client.get(url.replace("&amp;", "&")).content.decode()
    return int(re.search(r'id="result-count">共 <strong>(\d+)</strong>', html).group(1))


def test_the_page_shows_exactly_the_dashboard_selector_figures(signed_in, portfolio, leader):
    response = signed_in("leader").get(URL)
    figures = response.context["figures"]
    assert figures == dashboard_figures(user=leader, year=2026, month=6)
    assert figures.investment == investment_summary(user=leader, year=2026, month=6)
    html = response.content.decode()
    assert '<div class="value">4<small>个</small></div>' in html  # the 2026 list: 4 projects
    assert "涉及 2 个项目、2 个审批部门" in html
    assert "目标 1.0 亿元" in html  # 10,000 万元


def test_hand_computed_figures_of_the_fixture(leader, portfolio):
    figures = dashboard_figures(user=leader, year=2026, month=6)
    assert figures.project_count == 4
    assert {t.key: t.count for t in figures.by_category} == {
        "new_start": 2,
        "continuing": 1,
        "completing": 0,
        "reserve": 1,
    }
    assert {t.key: t.count for t in figures.by_light} == {"red": 1, "yellow": 1, "green": 1, "none": 1}
    milestones = {t.key: t.count for t in figures.by_milestone}
    assert milestones["started"] == 1 and milestones["land_acquired"] == 1 and milestones["completed"] == 1
    assert milestones["none"] == 1
    assert [p.name for p in figures.flagged] == [
        "京南生物医药产业化基地",
        "亦庄机器人整机制造项目",
    ]  # red first
    assert figures.flagged[0].reasons == ("审批事项A1 逾期 10 工作日",)
    assert (figures.overdue_total, figures.overdue_projects) == (3, 2)
    assert [c.overdue_days for c in figures.overdue_cases] == [10, 4, 3]
    ranking = [(d.label, d.overdue, d.average_days, d.max_days) for d in figures.departments]
    assert ranking == [("区规划和自然资源分局", 2, Decimal("7.0"), 10), ("区水务局", 1, Decimal("3.0"), 3)]
    # Investment: January–June of the 2026 list (not September, not the reserve project).
    assert figures.investment.completed == Decimal("7500")
    assert figures.investment.target == Decimal("10000")


def test_the_counts_click_through_to_lists_of_exactly_that_many_projects(signed_in, portfolio):
    client = signed_in("dispatcher")
    html = client.get(URL).content.decode()
    chips = re.findall(r'<a class="chip[^"]*" href="([^"]+)"><span class="n">(\d+)</span>', html)
    assert len(chips) >= 4 + 4 + 8  # lights, categories, milestones
    for url, count in chips:
        assert listed_count(client, url) == int(count), url
    figures = client.get(URL).context["figures"]
    assert listed_count(client, "/projects/?overdue=1") == figures.overdue_projects
    for department in figures.departments:
        assert f'href="/projects/?overdue_department={department.key}"' in html
        assert listed_count(client, f"/projects/?overdue_department={department.key}") == department.projects
    assert listed_count(client, "/projects/?year=2026&light=red") == 1


def test_red_and_yellow_projects_and_overdue_cases_link_to_their_project_pages(signed_in, portfolio):
    html = signed_in("leader").get(URL).content.decode()
    assert f'href="/projects/{portfolio["mine"].pk}/"' in html
    assert f'href="/projects/{portfolio["other"].pk}/"' in html
    assert "审批事项A1" in html and "10 天" in html


def test_the_investment_chart_data_is_the_summary_series_in_yi(signed_in, portfolio):
    response = signed_in("leader").get(URL)
    chart = response.context["chart"]
    assert chart["months"][0] == "1月" and len(chart["months"]) == 12
    assert chart["completed"][:6] == [0.1, 0.3, 0.2, 0.0, 0.0, 0.15]  # 万元 → 亿元
    assert chart["cumulative"][5] == 0.75 and chart["completed"][6] is None  # nothing after June
    assert chart["targetPace"][11] == 1.0
    html = response.content.decode()
    assert '<script id="investment-data" type="application/json">' in html
    assert 'id="investment-chart"' in html


def test_the_default_month_is_the_latest_reported_month(portfolio, leader):
    assert dashboard_default_month(user=leader, year=2026, today=dt.date(2026, 11, 23)) == 9
    assert dashboard_default_month(user=leader, year=2026, today=dt.date(2026, 4, 2)) == 3
    assert (
        dashboard_default_month(user=leader, year=2027, today=dt.date(2027, 5, 2)) == 5
    )  # nothing reported yet
    assert dashboard_default_month(user=leader, year=2025, today=dt.date(2026, 5, 2)) == 12


def test_bad_year_or_month_parameters_fall_back_instead_of_failing(signed_in, portfolio):
    client = signed_in("leader")
    for query in ["?year=abc&month=13", "?year=99999", "?month=-1", "?year=2026&month=0"]:
        assert client.get("/dashboard/" + query).status_code == 200


def test_the_dashboard_reads_a_constant_number_of_queries(signed_in, portfolio, project_factory,
                                                          django_assert_max_num_queries):  # fmt: skip
    client = signed_in("leader")
    for index in range(30):
        project_factory(name=f"更多项目{index}", light="red")
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_cached_figures_follow_every_change_and_the_daily_run(portfolio, leader, dispatcher, project):
    """The figures are cached per state of the data: a recorded month or a light set by the daily run shows
    on the very next read, for every district-wide role."""
    from daiban.approvals.services import tick
    from daiban.investment.services import investment_record

    before = dashboard_figures(user=leader, year=2026, month=6)
    assert dashboard_figures(user=dispatcher, year=2026, month=6) == before  # same state: same figures
    investment_record(
        actor=dispatcher, project=project, year=2026, month=6, amount="9123.00", funds_in_place="0.00"
    )
    after = dashboard_figures(user=leader, year=2026, month=6)
    assert after.investment.completed != before.investment.completed
    assert after.investment == investment_summary(user=leader, year=2026, month=6)  # not cached

    tick(today=dt.date(2026, 7, 15))  # re-reads lights: the fixture's hand-set lights change
    lights = {t.key: t.count for t in dashboard_figures(user=leader, year=2026, month=6).by_light}
    assert lights != {t.key: t.count for t in after.by_light}


def test_cached_investment_figures_follow_each_row_they_read(portfolio, leader, dispatcher, project):
    """The investment part is cached apart, under the rows it reads: a change to any of them shows at once."""
    from daiban.investment.services import target_set
    from daiban.projects.services import milestone_record, project_delete, project_update

    def investment():
        return dashboard_figures(user=leader, year=2026, month=6).investment

    first = investment()
    milestone_record(actor=dispatcher, project=project, kind_code="completed", planned_on=dt.date(2026, 5, 4))
    assert investment().rates.due_to_complete == first.rates.due_to_complete + 1  # 按期竣工率: a milestone
    target_set(actor=dispatcher, year=2026, amount=Decimal("20000"), expected_version=None)
    assert investment().target == Decimal("20000")  # the target
    project.refresh_from_db()
    project_update(actor=dispatcher, project=project, expected_version=project.version, annual_plan="777.00")
    assert investment().annual_plan != first.annual_plan  # the year list: a project's plan
    before = investment()
    project.refresh_from_db()
    project_delete(actor=dispatcher, project=project, expected_version=project.version)
    after = investment()
    assert after.project_count == before.project_count - 1  # and a deleted project
    assert after == investment_summary(user=leader, year=2026, month=6)
