"""The same scope as the pages: a row the caller may not see is a 404 (never a 403), and is never listed;
a row the caller sees but may not change is a 403."""

from __future__ import annotations

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import case_record_acceptance, case_record_submission

from .conftest import T0, assert_problem

pytestmark = pytest.mark.django_db

SEES = {"admin", "leader", "dispatcher", "butler", "specialist", "enterprise"}
EDITS = {"admin", "dispatcher", "butler"}  # the project itself, its milestones and its investment
RECORDS_CASES = {"admin", "dispatcher", "butler", "specialist"}
ROLES = ["admin", "leader", "dispatcher", "butler", "other_butler", "specialist", "enterprise", "no_role"]


@pytest.fixture
def accepted(generated) -> ApprovalCase:
    """A case of 张三's project, submitted and accepted on T0 (ready for a decision)."""
    case = ApprovalCase.objects.filter(project=generated).order_by("pk").first()
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=T0)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=T0)


def expected(role: str, allowed: set[str]) -> int:
    if role not in SEES:
        return 404
    return 200 if role in allowed else 403


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{p}",
        "/projects/{p}/cases",
        "/projects/{p}/milestones",
        "/projects/{p}/investment",
        "/cases/{c}",
    ],
)
def test_reads(api, users, accepted, path):
    for role in ROLES:
        status, data = api.get(path.format(p=accepted.project_id, c=accepted.pk), users[role])
        assert status == (200 if role in SEES else 404), (role, data)
        if status == 404:
            assert_problem(data, 404)
            assert "不在您的查看范围内" in data["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_case_decision(api, users, accepted, role):
    body = {"version": accepted.version, "decided_on": str(T0), "result": "approved"}
    status, data = api.post(f"/cases/{accepted.pk}/decision", users[role], body)
    assert status == expected(role, RECORDS_CASES), data
    if status == 200:
        assert data["decided_on"] == str(T0) and data["version"] == accepted.version + 1
    else:
        assert_problem(data, status)
        assert ApprovalCase.objects.get(pk=accepted.pk).decided_on is None


@pytest.mark.parametrize("role", ROLES)
def test_project_update(api, users, project, role):
    status, data = api.patch(f"/projects/{project.pk}", users[role], {"version": 1, "location": "新址"})
    assert status == expected(role, EDITS), data


@pytest.mark.parametrize("role", ROLES)
def test_milestone_record(api, users, project, milestone_kinds, role):
    body = {"kind": "started", "planned_on": "2026-06-30"}
    status, data = api.post(f"/projects/{project.pk}/milestones", users[role], body)
    assert status == expected(role, EDITS), data


@pytest.mark.parametrize("role", ROLES)
def test_investment_record(api, users, project, role):
    body = {"year": 2026, "month": 1, "amount": "100.50", "funds_in_place": 80}
    status, data = api.post(f"/projects/{project.pk}/investment", users[role], body)
    assert status == expected(role, EDITS), data
    if status == 200:
        assert data["amount"] == "100.50" and data["funds_in_place"] == "80.00"


def test_lists_show_only_the_callers_projects(api, users, project, other_project):
    def listed(role: str) -> set[int]:
        status, data = api.get("/projects", users[role])
        assert status == 200
        return {item["id"] for item in data["items"]}

    assert listed("butler") == {project.pk}
    assert listed("other_butler") == {other_project.pk}
    assert listed("enterprise") == {project.pk}
    assert listed("specialist") == {project.pk}
    assert listed("dispatcher") == {project.pk, other_project.pk}
    assert listed("no_role") == set()
    # Filtering by another butler never reveals their projects.
    status, data = api.get("/projects", users["butler"], butler=users["other_butler"].pk)
    assert status == 200 and data["count"] == 0


def test_district_figures_count_only_visible_projects(api, users, project, other_project):
    _, mine = api.get("/dashboard", users["butler"], year=2026, month=3)
    _, everything = api.get("/dashboard", users["leader"], year=2026, month=3)
    assert mine["project_count"] == 1 and everything["project_count"] == 2
    assert mine["investment"]["annual_plan"] == "12000.00"
    assert everything["investment"]["annual_plan"] == "24000.00"


def test_a_missing_row_and_a_hidden_row_answer_alike(api, users, other_project):
    hidden = api.get(f"/projects/{other_project.pk}", users["butler"])
    missing = api.get(f"/projects/{other_project.pk + 1000}", users["butler"])
    assert hidden[0] == missing[0] == 404
    assert hidden[1]["detail"] == missing[1]["detail"]
