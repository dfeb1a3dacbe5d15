"""Approval cases through the API: record a case's progress with the version read, and see the re-plan."""

from __future__ import annotations

import pytest

from daiban.approvals.models import ApprovalCase, SlaState
from daiban.approvals.services import case_record_submission
from daiban.core.calendar import WorkCalendar

from .conftest import T0, assert_problem

pytestmark = pytest.mark.django_db


def first_case(project) -> ApprovalCase:
    return ApprovalCase.objects.filter(project=project, promised_days__gt=0).order_by("pk").first()


def test_cases_of_a_project_in_stage_order(api, butler, generated):
    status, cases = api.get(f"/projects/{generated.pk}/cases", butler)
    assert status == 200 and len(cases) == ApprovalCase.objects.filter(project=generated).count()
    ranks = ["land_planning", "works_permit", "construction_permit", "acceptance", "parallel"]
    stages = [ranks.index(case["stage"]) for case in cases]
    assert stages == sorted(stages)
    assert all(case["agency_finish"] and case["conventional_finish"] for case in cases)


def test_record_a_case_from_submission_to_decision(api, butler, generated):
    case = first_case(generated)
    path = f"/cases/{case.pk}"
    version = api.get(path, butler)[1]["version"]

    status, data = api.post(f"{path}/submission", butler, {"version": version, "submitted_on": str(T0)})
    assert status == 200 and data["submitted_on"] == str(T0)
    status, data = api.post(
        f"{path}/acceptance", butler, {"version": data["version"], "accepted_on": str(T0)}
    )
    assert status == 200 and data["sla_state"] == SlaState.NORMAL
    assert data["due_on"] == str(WorkCalendar.default().add_workdays(T0, case.promised_days))

    status, data = api.post(
        f"{path}/suspension", butler, {"version": data["version"], "start": str(T0), "reason": "supplement"}
    )
    assert status == 200 and data["sla_state"] == SlaState.SUSPENDED
    status, detail = api.get(path, butler)
    assert detail["suspensions"][0]["reason_label"] == "补正" and detail["suspensions"][0]["end"] is None
    status, data = api.post(f"{path}/resume", butler, {"version": data["version"], "end": str(T0)})
    assert status == 200  # the suspension ends on T0 inclusive: the clock runs again the next day
    assert api.get(path, butler)[1]["suspensions"][0]["end"] == str(T0)

    body = {"version": data["version"], "decided_on": str(T0), "result": "approved"}
    status, data = api.post(f"{path}/decision", butler, body)
    assert status == 200 and data["result"] == "approved" and data["sla_state"] == SlaState.DONE_ON_TIME


def test_stale_version_is_409_and_nothing_is_written(api, butler, specialist, generated):
    case = first_case(generated)
    case_record_submission(actor=specialist, case=case, expected_version=case.version, submitted_on=T0)
    status, data = api.post(
        f"/cases/{case.pk}/submission", butler, {"version": case.version, "submitted_on": str(T0)}
    )
    assert status == 409
    assert_problem(data, 409)
    assert data["changed_by"] == "孙专员" and data["current_version"] == case.version + 1


def test_a_broken_rule_is_400_naming_the_case(api, butler, generated):
    case = first_case(generated)
    body = {"version": case.version, "decided_on": str(T0), "result": "approved"}
    status, data = api.post(f"/cases/{case.pk}/decision", butler, body)
    assert status == 400
    assert_problem(data, 400)
    assert case.name in data["detail"] and "尚未受理" in data["detail"]


def test_unknown_result_is_422(api, butler, generated):
    case = first_case(generated)
    body = {"version": case.version, "decided_on": str(T0), "result": "maybe"}
    status, data = api.post(f"/cases/{case.pk}/decision", butler, body)
    assert status == 422 and data["errors"][0]["field"] == "result"


def test_overdue_cases_are_paginated_longest_first(api, dispatcher, generated):
    cases = list(ApprovalCase.objects.filter(project=generated).order_by("pk")[:3])
    for days, case in zip((3, 9, 5), cases, strict=True):
        ApprovalCase.objects.filter(pk=case.pk).update(sla_state=SlaState.OVERDUE, overdue_days=days)
    status, data = api.get("/cases/overdue", dispatcher, page_size=2)
    assert status == 200 and data["count"] == 3
    assert [item["overdue_days"] for item in data["items"]] == [9, 5]
    assert data["items"][0]["project_name"] == generated.name
