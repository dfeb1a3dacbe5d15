"""The meetings API: create with the default agenda, decide, publish, hold; the report's figures agree with
the dashboard's."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from daiban.apitokens.services import token_create
from daiban.coordination.models import CoordinationIssue
from daiban.projects.dashboard import dashboard_figures

pytestmark = pytest.mark.django_db
API = "/api/v1/meetings"


@pytest.fixture
def call(db):
    client, tokens = Client(), {}

    def call_(method: str, path: str, user, body=None, **params):
        if user.pk not in tokens:
            tokens[user.pk] = token_create(actor=None, user=user)[1]
        headers = {"Authorization": f"Bearer {tokens[user.pk]}"}
        if method == "GET":
            response = client.get(API + path, params, headers=headers)
        else:
            response = client.post(
                API + path, json.dumps(body or {}), content_type="application/json", headers=headers
            )
        return response.status_code, response.json()

    return call_


def test_meeting_flow_through_the_api(call, dispatcher, leader, portfolio):
    status, meeting = call("POST", "", dispatcher, {"held_on": "2026-06-15", "location": "区政府"})
    assert (
        status == 201 and meeting["title"] == "第1次重大项目调度会" and meeting["period_to"] == "2026-06-14"
    )
    status, agenda = call("GET", f"/{meeting['id']}/agenda", leader)
    assert status == 200
    assert {item["project_name"]: item["reasons"] for item in agenda} == {
        "京南生物医药产业化基地": ["red"],
        "亦庄机器人整机制造项目": ["yellow", "milestone_due"],
    }
    yellow = next(item for item in agenda if item["project_light"] == "yellow")
    body = {
        "version": yellow["version"],
        "decisions": [
            {
                "kind": "issue",
                "text": "规自分局出具规划条件",
                "department_id": portfolio["guizi"].pk,
                "deadline_days": 5,
                "category": "planning",
            }
        ],
    }
    status, decided = call("POST", f"/{meeting['id']}/agenda/{yellow['id']}/decisions", dispatcher, body)
    assert status == 200 and decided["status"] == "decided"
    assert decided["decisions"][0]["issue_id"] == CoordinationIssue.objects.get().pk
    status, _ = call("POST", f"/{meeting['id']}/agenda/{yellow['id']}/decisions", dispatcher, body)
    assert status == 409
    status, _ = call("POST", f"/{meeting['id']}/publish", leader, {"version": meeting["version"]})
    assert status == 403
    status, held = call("POST", f"/{meeting['id']}/hold", dispatcher, {"version": meeting["version"]})
    assert status == 200 and held["status"] == "held" and held["report_stored"] is True


def test_report_figures_equal_the_dashboard(call, leader, portfolio):
    status, data = call("GET", "/report", leader, **{"from": "2026-06-01", "to": "2026-06-14"})
    assert status == 200
    dashboard = dashboard_figures(user=leader, year=2026, month=6)
    assert data["month"] == 6
    assert data["project_count"] == dashboard.project_count
    assert data["overdue_total"] == dashboard.overdue_total
    assert data["flagged_total"] == dashboard.flagged_total
    assert data["investment"]["completed"] == str(dashboard.investment.completed)
    assert data["four_rates"]["start_rate"] == str(dashboard.investment.rates.start_rate)
    assert [row["project_name"] for row in data["turned_green"]] == ["绿色产业园项目"]
    status, _ = call("GET", "/report", leader, **{"from": "2026-06-14", "to": "2026-06-01"})
    assert status == 400


def test_butler_may_not_read_meetings(call, butler, portfolio):
    assert call("GET", "", butler)[0] == 403
    assert call("GET", "/report", butler)[0] == 403


def test_attendees_by_user_id_and_an_unknown_one_is_refused(
    call, dispatcher, leader, enterprise_user, portfolio
):
    from daiban.meetings.models import DispatchMeeting

    status, problem = call(
        "POST", "", dispatcher, {"held_on": "2026-06-15", "attendees": [enterprise_user.pk]}
    )
    assert status == 400 and str(enterprise_user.pk) in problem["detail"]
    assert not DispatchMeeting.objects.exists()  # nothing created
    status, meeting = call("POST", "", dispatcher, {"held_on": "2026-06-15", "attendees": [leader.pk]})
    assert status == 201
    assert list(DispatchMeeting.objects.get(pk=meeting["id"]).attendees.all()) == [leader]


def test_an_attendee_id_out_of_range_is_a_validation_error(call, dispatcher, portfolio):
    status, _ = call("POST", "", dispatcher, {"held_on": "2026-06-15", "attendees": [10**30]})
    assert status == 422
