"""Calendar queries (the same answers as the core), the catalogue, departments and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.core.calendar import WorkCalendar
from daiban.core.catalogue import load_catalogue

from .conftest import assert_problem

pytestmark = pytest.mark.django_db
CAL = WorkCalendar.default()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2026-02-13", "2026-02-28"),
        ("2025-09-30", "2025-10-11"),
        ("2026-03-02", "2026-03-02"),
        ("2026-05-06", "2026-04-20"),
    ],
)
def test_workdays_match_the_core(api, butler, a, b):
    status, data = api.get("/calendar/workdays", butler, a=a, b=b)
    assert status == 200
    expected = CAL.workdays_between(dt.date.fromisoformat(a), dt.date.fromisoformat(b))
    assert data == {"a": a, "b": b, "workdays": expected}


@pytest.mark.parametrize(
    ("d", "n"), [("2026-02-13", 1), ("2025-09-30", 5), ("2026-01-05", -3), ("2026-07-01", 0)]
)
def test_add_matches_the_core(api, butler, d, n):
    status, data = api.get("/calendar/add", butler, d=d, n=n)
    assert status == 200
    assert data["date"] == CAL.add_workdays(dt.date.fromisoformat(d), n).isoformat()


def test_month_view_marks_spring_festival_and_adjusted_workdays(api, butler):
    status, data = api.get("/calendar/month/2026-02", butler)
    assert status == 200 and data["official"] is True and "国办发明电" in data["notice"]
    days = {day["day"]: day for day in data["days"]}
    assert len(days) == 28
    assert [day.workday for day in CAL.month(2026, 2)] == [day["workday"] for day in data["days"]]
    assert days["2026-02-17"]["kind"] == "holiday"
    assert data["workdays"] == sum(day.workday for day in CAL.month(2026, 2))
    assert any(day["kind"] == "adjusted_workday" for day in data["days"])


def test_calendar_errors(api, butler):
    status, data = api.get("/calendar/workdays", butler, a="1900-01-01", b="2026-01-01")
    assert status == 400
    assert_problem(data, 400)
    assert "超出" in data["detail"]
    assert api.get("/calendar/month/2026-13", butler)[0] == 422
    status, data = api.get("/calendar/add", butler, d="2026-02-30", n=1)
    assert status == 422 and data["errors"][0] == {
        "field": "d",
        "location": "query",
        "message": "应为日期（YYYY-MM-DD）",
    }


def test_catalogue(api, enterprise_user):
    status, items = api.get("/catalogue", enterprise_user)
    catalogue = load_catalogue()
    assert status == 200 and [item["code"] for item in items] == [item.code for item in catalogue]
    status, item = api.get("/catalogue/construction_permit", enterprise_user)
    assert status == 200 and item["name"] == catalogue.item("construction_permit").name
    status, data = api.get("/catalogue/no_such_item", enterprise_user)
    assert status == 404 and "no_such_item" in data["detail"]


def test_departments(api, butler, department, responsible_department):
    status, data = api.get("/departments", butler)
    assert status == 200
    assert {row["short_name"] for row in data} == {"规自", "发改"}


def test_dashboard_figures_come_from_the_dashboard_selector(api, dispatcher, project_factory, butler):
    from daiban.projects.dashboard import dashboard_figures

    project_factory(butler=butler, category="continuing", light="red", current_milestone="started")
    project_factory(butler=butler, category="new_start", light="green")
    project_factory(butler=butler, category="new_start", year=2025)
    status, data = api.get("/dashboard", dispatcher, year=2026, month=6)
    assert status == 200 and data["project_count"] == 2
    counts = {
        (group, row["key"]): row["count"] for group in ("by_category", "by_light") for row in data[group]
    }
    assert counts[("by_category", "new_start")] == 1 and counts[("by_category", "continuing")] == 1
    assert counts[("by_light", "red")] == 1 and counts[("by_light", "yellow")] == 0
    assert [project["light"] for project in data["flagged"]] == ["red"]
    assert data["investment"]["project_count"] == 2 and data["overdue_total"] == 0
    figures = dashboard_figures(user=dispatcher, year=2026, month=6)
    assert [row["count"] for row in data["by_milestone"]] == [tally.count for tally in figures.by_milestone]
    # Each tally's key filters the list to exactly the counted projects.
    status, listed = api.get("/projects", dispatcher, year=2026, light="red")
    assert listed["count"] == counts[("by_light", "red")]
