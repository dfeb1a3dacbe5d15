"""The policy facts (设备投资, 所在片区, 高新技术企业) via the API: stored, audited, policies re-matched."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daiban.audit.models import AuditEntry
from daiban.policies.models import PolicyMatch
from daiban.policies.services import policy_save
from daiban.projects.services import enterprise_update

from .conftest import assert_problem

TODAY = dt.date(2026, 6, 1)
EQUIPMENT_RULE = """\
all:
  - {field: industry, op: eq, value: 生物医药}
  - {field: equipment_investment, op: ge, value: 1000}
"""


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch):
    """The policies' "today" (the re-evaluation after an edit) pinned inside the policy's validity."""
    from daiban.policies.services import common

    monkeypatch.setattr(common, "current_day", lambda: TODAY)


@pytest.fixture
def equipment_policy(db):
    return policy_save(
        actor=None,
        name="设备购置贷款贴息",
        issuer="区经济和信息化局",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2027, 12, 31),
        level="project",
        benefit_kind="interest_subsidy",
        rate=Decimal("0.03"),
        cap=Decimal("2000"),
        base_fact="equipment_investment",
        rule=EQUIPMENT_RULE,
    )


def _matches(project, policy):
    return PolicyMatch.objects.filter(project=project, policy=policy, eligible=True)


def test_patch_equipment_investment_stores_audits_and_matches(api, dispatcher, project, equipment_policy):
    assert not _matches(project, equipment_policy).exists()

    status, data = api.patch(
        f"/projects/{project.pk}",
        dispatcher,
        {"version": project.version, "equipment_investment": "1500.50", "area": "生物医药园"},
    )

    assert status == 200, data
    assert data["equipment_investment"] == "1500.50"
    assert data["area"] == "生物医药园"
    assert data["version"] == project.version + 1
    project.refresh_from_db()
    assert project.equipment_investment == Decimal("1500.50")
    assert project.area == "生物医药园"
    entry = AuditEntry.objects.filter(model_label="projects.project", object_id=str(project.pk)).latest("at")
    assert entry.actor == dispatcher
    assert entry.changes["equipment_investment"][1] in ("1500.50", 1500.5)
    assert entry.changes["area"] == ["", "生物医药园"]
    match = _matches(project, equipment_policy).get()
    assert match.enterprise_id == project.enterprise_id
    assert match.estimated_benefit == Decimal("45.02")  # 3% of 1500.50, rounded to the cent


def test_clearing_equipment_investment_drops_the_match(api, dispatcher, project, equipment_policy):
    status, data = api.patch(
        f"/projects/{project.pk}", dispatcher, {"version": project.version, "equipment_investment": "2000"}
    )
    assert status == 200 and _matches(project, equipment_policy).exists()

    status, data = api.patch(
        f"/projects/{project.pk}",
        dispatcher,
        {"version": data["version"], "equipment_investment": None, "area": None},
    )

    assert status == 200, data
    assert data["equipment_investment"] is None and data["area"] == ""
    project.refresh_from_db()
    assert project.equipment_investment is None and project.area == ""
    assert not _matches(project, equipment_policy).exists()


def test_stale_version_changes_nothing(api, dispatcher, project, equipment_policy):
    status, data = api.patch(
        f"/projects/{project.pk}",
        dispatcher,
        {"version": project.version + 5, "equipment_investment": "5000"},
    )

    assert status == 409
    assert_problem(data, 409)
    project.refresh_from_db()
    assert project.equipment_investment is None
    assert not _matches(project, equipment_policy).exists()


@pytest.mark.parametrize("value", ["-1", "abc", "1e30"])
def test_bad_equipment_investment_is_refused(api, dispatcher, project, value):
    status, _ = api.patch(
        f"/projects/{project.pk}", dispatcher, {"version": project.version, "equipment_investment": value}
    )

    assert status == 422
    project.refresh_from_db()
    assert project.equipment_investment is None


def test_area_longer_than_the_field_is_refused(api, dispatcher, project):
    status, _ = api.patch(
        f"/projects/{project.pk}", dispatcher, {"version": project.version, "area": "区" * 51}
    )

    assert status == 422


def test_butler_out_of_scope_gets_404(api, other_butler, project):
    status, _ = api.patch(
        f"/projects/{project.pk}", other_butler, {"version": project.version, "equipment_investment": "10"}
    )

    assert status == 404
    project.refresh_from_db()
    assert project.equipment_investment is None


def test_detail_and_list_show_the_facts(api, dispatcher, project):
    enterprise_update(actor=None, enterprise=project.enterprise, expected_version=None, high_tech=True)

    status, data = api.get(f"/projects/{project.pk}", dispatcher)

    assert status == 200
    assert data["equipment_investment"] is None and data["area"] == ""
    assert data["enterprise"]["high_tech"] is True
    status, page = api.get("/projects", dispatcher)
    assert status == 200
    assert page["items"][0]["enterprise"]["high_tech"] is True


def test_project_page_header_shows_the_facts_when_set(client, dispatcher, project):
    """Not an API call: the page header is where people read what they set through the API or a list."""
    client.force_login(dispatcher)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "所在片区" not in page and "设备投资" not in page and "高新技术企业" not in page

    project.equipment_investment, project.area = Decimal("1500.5"), "生物医药园"
    project.save()
    enterprise_update(actor=None, enterprise=project.enterprise, expected_version=None, high_tech=True)
    page = client.get(f"/projects/{project.pk}/").content.decode()

    assert "<dt>所在片区</dt><dd>生物医药园</dd>" in page
    assert '<dt>设备投资</dt><dd class="num-left">1500.50 万元</dd>' in page
    assert '<span class="tag tag-green">高新技术企业</span>' in page
