from decimal import Decimal

import pytest

from daiban.policies.models import PolicyMatch
from daiban.projects.services import project_update

from .conftest import TODAY, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(project, other_project, equipment_policy):
    for row in (project, other_project):
        project_update(actor=None, project=row, expected_version=None, equipment_investment=Decimal(3000))
    return PolicyMatch.objects.get(project=project)


def test_list_and_detail_with_figures(api, users, matched):
    make_policy(name="坏规则", rule="{field: nope, op: eq, value: 1}")
    status, data = api.get("/policies", users["leader"])
    assert status == 200
    by_name = {row["name"]: row for row in data}
    assert by_name["设备购置贷款贴息"]["figures"]["matched_enterprises"] == 2
    assert by_name["设备购置贷款贴息"]["figures"]["estimated"] == "180.00"
    assert "未知字段 'nope'" in by_name["坏规则"]["rule_error"]
    status, one = api.get(f"/policies/{matched.policy_id}", users["enterprise"])
    assert status == 200 and one["figures"]["matched_enterprises"] == 1  # its own matches only
    assert api.get("/policies/999999", users["leader"])[0] == 404
    assert api.get("/policies", users["no_role"])[0] == 403
    assert api.get("/policies")[0] == 401


def test_matches_are_scoped(api, users, matched):
    status, data = api.get(f"/policies/{matched.policy_id}/matches", users["dispatcher"])
    assert status == 200 and data["count"] == 2
    status, mine = api.get("/policies/matches", users["enterprise"])
    assert status == 200 and [row["id"] for row in mine["items"]] == [matched.pk]
    item = mine["items"][0]
    assert item["estimated_benefit"] == "90.00" and item["status"] == "notified"
    assert item["trace"][0] == {"text": "以下全部满足：是", "held": True, "depth": 0}


def test_payout_transitions(api, users, matched):
    base = f"/policies/matches/{matched.pk}"
    status, data = api.post(
        f"{base}/apply", users["butler"], {"version": matched.version, "applied_on": str(TODAY)}
    )
    assert status == 200 and data["status"] == "applied"
    body = {"version": data["version"], "approved_on": str(TODAY), "approved_amount": "3000"}
    status, problem = api.post(f"{base}/approve", users["dispatcher"], body)
    assert status == 400 and "超过政策上限" in problem["detail"]
    status, problem = api.post(f"{base}/approve", users["butler"], body | {"approved_amount": "80"})
    assert status == 403
    status, data = api.post(f"{base}/approve", users["dispatcher"], body | {"approved_amount": "80"})
    assert status == 200 and data["approved_amount"] == "80.00"
    status, problem = api.post(
        f"{base}/pay", users["dispatcher"], {"version": 1, "paid_on": str(TODAY), "paid_amount": "80"}
    )
    assert status == 409
    status, data = api.post(
        f"{base}/pay",
        users["dispatcher"],
        {"version": data["version"], "paid_on": str(TODAY), "paid_amount": "80"},
    )
    assert status == 200 and data["status"] == "paid" and data["paid_amount"] == "80.00"


def test_payout_out_of_scope_is_404(api, users, matched):
    status, _ = api.post(
        f"/policies/matches/{matched.pk}/apply",
        users["other_butler"],
        {"version": 1, "applied_on": str(TODAY)},
    )
    assert status == 404
