"""Projects through the API: pagination, the list page's filters, versioned updates, milestones, errors."""

from __future__ import annotations

import pytest

from daiban.projects.models import Project
from daiban.projects.services import project_update

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(project_factory, butler, other_butler, responsible_department):
    """Seven projects of 张三 and two of 李四, varied by category, industry, light and milestone."""
    mine = [
        project_factory(name=f"张三项目{n}", butler=butler, category="new_start", industry="生物医药")
        for n in range(5)
    ]
    mine.append(
        project_factory(name="张三续建", butler=butler, category="continuing", industry="机器人", light="red")
    )
    mine.append(
        project_factory(
            name="张三竣工",
            butler=butler,
            category="completing",
            current_milestone="started",
            responsible_department=responsible_department,
        )
    )
    theirs = [project_factory(name=f"李四项目{n}", butler=other_butler) for n in range(2)]
    return mine, theirs


def ids(data: dict) -> set[int]:
    return {item["id"] for item in data["items"]}


def test_pages_cover_the_list_once(api, dispatcher, portfolio):
    seen, page = [], 1
    while True:
        status, data = api.get("/projects", dispatcher, page=page, page_size=4, sort="name")
        assert status == 200 and data["count"] == 9 and data["page_size"] == 4
        if not data["items"]:
            break
        seen += [item["id"] for item in data["items"]]
        page += 1
    assert page == 4 and len(seen) == len(set(seen)) == 9


def test_page_size_is_bounded(api, dispatcher, portfolio):
    status, data = api.get("/projects", dispatcher, page_size=500)
    assert status == 422
    assert data["errors"][0]["field"] == "page_size" and data["errors"][0]["message"] == "不能大于 200"


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"category": "continuing"}, {"张三续建"}),
        ({"industry": "机器人"}, {"张三续建"}),
        ({"light": "red"}, {"张三续建"}),
        ({"milestone": "started"}, {"张三竣工"}),
        ({"q": "竣工"}, {"张三竣工"}),
        ({"category": "new_start", "q": "项目3"}, {"张三项目3"}),
    ],
)
def test_filters(api, butler, portfolio, params, names):
    status, data = api.get("/projects", butler, **params)
    assert status == 200
    assert {item["name"] for item in data["items"]} == names


def test_filter_by_butler_and_department(api, dispatcher, portfolio, butler, responsible_department):
    mine, _ = portfolio
    assert ids(api.get("/projects", dispatcher, butler=butler.pk)[1]) == {p.pk for p in mine}
    by_department = api.get("/projects", dispatcher, department=responsible_department.pk)[1]
    assert {item["name"] for item in by_department["items"]} == {"张三竣工"}


def test_overdue_filter(api, dispatcher, generated, other_project):
    from daiban.approvals.models import ApprovalCase, SlaState

    case = ApprovalCase.objects.filter(project=generated).first()
    ApprovalCase.objects.filter(pk=case.pk).update(sla_state=SlaState.OVERDUE, overdue_days=4)
    assert ids(api.get("/projects", dispatcher, overdue=True)[1]) == {generated.pk}
    if case.department_id:
        by_department = api.get("/projects", dispatcher, overdue_department=case.department_id)[1]
        assert ids(by_department) == {generated.pk}


def test_unknown_sort_is_422(api, dispatcher, portfolio):
    status, data = api.get("/projects", dispatcher, sort="nonsense")
    assert status == 422 and data["errors"][0]["field"] == "sort"


def test_sort_by_investment(api, butler, portfolio):
    mine, _ = portfolio
    Project.objects.filter(pk=mine[2].pk).update(total_investment=99999)
    data = api.get("/projects", butler, sort="-total_investment")[1]
    assert data["items"][0]["id"] == mine[2].pk and data["items"][0]["total_investment"] == "99999.00"


def test_update_with_the_version_read(api, butler, project):
    status, data = api.get(f"/projects/{project.pk}", butler)
    status, changed = api.patch(
        f"/projects/{project.pk}",
        butler,
        {"version": data["version"], "industry": "高端汽车", "annual_plan": "1.5"},
    )
    assert status == 200
    assert changed["industry"] == "高端汽车" and changed["annual_plan"] == "1.50"
    assert changed["version"] == data["version"] + 1
    assert changed["name"] == data["name"]  # fields not sent are left alone


def test_stale_version_is_409_naming_who_changed_it(api, butler, dispatcher, project):
    project_update(actor=dispatcher, project=project, expected_version=1, notes="调度备注")
    status, data, response = api.call(
        "PATCH", f"/projects/{project.pk}", butler, {"version": 1, "notes": "x"}
    )
    assert status == 409
    assert response["Content-Type"] == "application/problem+json"
    assert_problem(data, 409)
    assert "钱调度" in data["detail"] and data["changed_by"] == "钱调度"
    assert data["current_version"] == 2 and data["changed_at"]
    assert Project.objects.get(pk=project.pk).notes == "调度备注"


def test_domain_error_is_400_in_chinese(api, butler, project):
    status, data = api.patch(f"/projects/{project.pk}", butler, {"version": 1, "project_code": "bad"})
    assert status == 400
    assert_problem(data, 400)
    assert "项目代码" in data["detail"]


def test_reassigning_the_butler_is_for_dispatchers(api, butler, other_butler, dispatcher, project):
    status, data = api.patch(f"/projects/{project.pk}", butler, {"version": 1, "butler_id": other_butler.pk})
    assert status == 403 and "调整项目管家" in data["detail"]
    status, data = api.patch(
        f"/projects/{project.pk}", dispatcher, {"version": 1, "butler_id": other_butler.pk}
    )
    assert status == 200 and data["butler"] == {"id": other_butler.pk, "name": "李四"}
    assert api.get(f"/projects/{project.pk}", butler)[0] == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "x"}, "version", "必填"),
        ({"version": "one"}, "version", "应为整数"),
        ({"version": 1, "planned_start_on": "2026-13-01"}, "planned_start_on", "应为日期（YYYY-MM-DD）"),
        ({"version": 1, "category": "other"}, "category", "应为以下之一"),
        ({"version": 1, "name": "x" * 201}, "name", "最多 200 个字符"),
        ({"version": 1, "total_investment": "-1"}, "total_investment", "不能小于 0"),
        ({"version": 1, "notes": "a\u0000b"}, "notes", "不能包含空字符"),
    ],
)
def test_validation_is_422_with_chinese_field_messages(api, butler, project, body, field, message):
    status, data = api.patch(f"/projects/{project.pk}", butler, body)
    assert status == 422
    assert_problem(data, 422)
    assert data["errors"][0]["field"] == field and data["errors"][0]["location"] == "body"
    assert message in data["errors"][0]["message"]
    assert field in data["detail"]


def test_malformed_json_is_a_chinese_problem(api, butler, project):
    response = api.client.patch(
        f"/api/v1/projects/{project.pk}",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(butler)}"},
    )
    assert response.status_code == 400
    assert_problem(response.json(), 400)
    assert "JSON" in response.json()["detail"]


def test_milestones_in_order_with_versions(api, butler, project, milestone_kinds):
    status, table = api.get(f"/projects/{project.pk}/milestones", butler)
    assert [row["kind"] for row in table] == [kind.code for kind in milestone_kinds]
    assert table[0]["version"] is None

    status, signed = api.post(
        f"/projects/{project.pk}/milestones", butler, {"kind": "signed", "actual_on": "2026-01-05"}
    )
    assert status == 200 and signed["version"] == 1
    assert api.get(f"/projects/{project.pk}", butler)[1]["current_milestone"] == "signed"

    stale = {"kind": "signed", "planned_on": "2026-01-01", "version": 7}
    assert api.post(f"/projects/{project.pk}/milestones", butler, stale)[0] == 409
    status, data = api.post(
        f"/projects/{project.pk}/milestones", butler, {"kind": "started", "actual_on": "2026-02-02"}
    )
    assert status == 400 and "请先记录" in data["detail"]
    status, data = api.post(
        f"/projects/{project.pk}/milestones", butler, {"kind": "nope", "planned_on": "2026-01-01"}
    )
    assert status == 400 and "未知的节点" in data["detail"]
