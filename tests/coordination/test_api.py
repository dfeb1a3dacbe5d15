"""The issues API: list with filters, detail with the ladder history, create, transitions (409 on a stale
version), comments, department statistics; problem+json errors; scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.coordination.models import CoordinationIssue, IssueStatus
from daiban.coordination.services import issue_tick

D = dt.date


@pytest.fixture
def issue(raise_issue, water_specialist):
    return raise_issue(assignee=water_specialist)


def test_list_and_detail(api, butler, issue, leader, dispatcher):
    issue_tick(today=D(2026, 3, 10))
    status, data = api.get("/issues", butler)
    assert status == 200 and data["count"] == 1
    item = data["items"][0]
    assert (item["title"], item["category"], item["category_label"], item["level"]) == (
        "施工用水用电临时接入",
        "utilities",
        "水电气热",
        1,
    )
    assert item["department"]["name"] == "区水务局" and item["assignee"]["name"] == "陈水务"
    status, data = api.get(f"/issues/{issue.pk}", butler)
    assert status == 200
    assert [h["holder_label"] for h in data["holdings"]] == ["区水务局 陈水务", "项目管家 张三"]
    assert data["holdings"][1]["started_on"] == "2026-03-10"
    assert api.get("/issues", butler, escalated="false")[1]["count"] == 0
    assert api.get("/issues", butler, status="active", q="用水")[1]["count"] == 1


def test_create(api, butler, project, water, water_specialist):
    body = {
        "project_id": project.pk,
        "title": "专项债资金拨付",
        "category": "funding",
        "department_id": water.pk,
        "deadline_days": 3,
        "assignee_id": water_specialist.pk,
    }
    status, data = api.post("/issues", butler, body)
    assert status == 201, data
    assert data["status"] == "open" and data["version"] == 1 and data["holdings"][0]["level"] == 0
    assert CoordinationIssue.objects.get(pk=data["id"]).created_by == butler


def test_create_errors(api, butler, leader, other_project, project, water):
    body = {
        "project_id": project.pk,
        "title": "x",
        "category": "funding",
        "department_id": water.pk,
        "deadline_days": 3,
    }
    status, data = api.post("/issues", leader, body)
    assert status == 403 and data["type"] == "urn:daiban:problem:not-permitted"
    status, data = api.post("/issues", butler, body | {"project_id": other_project.pk})
    assert status == 404
    status, data = api.post("/issues", butler, body | {"deadline_days": 0})
    assert status == 422
    status, data = api.post("/issues", butler, body | {"category": "weather"})
    assert status == 422


def test_transitions_and_version_conflict(api, butler, water_specialist, issue):
    status, data = api.post(f"/issues/{issue.pk}/start", water_specialist, {"version": 1})
    assert (status, data["status"], data["version"]) == (200, "in_progress", 2)
    status, data = api.post(f"/issues/{issue.pk}/resolve", butler, {"version": 1, "resolution": "已接入"})
    assert status == 409
    assert data["current_version"] == 2 and data["changed_by"] == "陈水务"
    status, data = api.post(f"/issues/{issue.pk}/resolve", butler, {"version": 2, "resolution": "已接入"})
    assert (status, data["status"], data["resolution"]) == (200, "resolved", "已接入")
    status, data = api.post(f"/issues/{issue.pk}/close", water_specialist, {"version": 3})
    assert status == 403
    status, data = api.post(f"/issues/{issue.pk}/reopen", butler, {"version": 3, "reason": "仍未通水"})
    assert (status, data["status"]) == (200, "in_progress")
    status, data = api.post(f"/issues/{issue.pk}/start", butler, {"version": 4})
    assert status == 400 and "待办" in data["detail"]


def test_comments(api, leader, issue):
    status, data = api.post(f"/issues/{issue.pk}/comments", leader, {"body": "请加快办理"})
    assert (status, data["author"]["name"]) == (201, "赵领导")
    status, data = api.get(f"/issues/{issue.pk}/comments", leader)
    assert [c["body"] for c in data] == ["请加快办理"]


@pytest.mark.parametrize("role", ["other_butler", "enterprise", "no_role"])
def test_out_of_scope_is_404(api, users, role, issue):
    user = users[role]
    assert api.get(f"/issues/{issue.pk}", user)[0] == 404
    assert api.get("/issues", user)[1]["count"] == 0
    assert api.post(f"/issues/{issue.pk}/start", user, {"version": 1})[0] == 404
    assert api.post(f"/issues/{issue.pk}/comments", user, {"body": "x"})[0] == 404
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.OPEN


def test_department_stats(api, dispatcher, issue):
    status, data = api.get(
        "/issues/stats/departments", dispatcher, date_from="2026-03-01", date_to="2026-03-31"
    )
    assert status == 200
    assert data == [
        {
            "department_id": issue.department_id,
            "department_name": "区水务局",
            "raised": 1,
            "resolved": 0,
            "resolved_on_time": 0,
            "on_time_rate": None,
            "open": 1,
            "open_overdue": 1,
            "escalated": 0,
        }
    ]
