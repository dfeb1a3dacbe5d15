"""Monthly investment through the API, and the district figures read from the same selector as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from daiban.investment.selectors import investment_summary
from daiban.investment.services import target_set

pytestmark = pytest.mark.django_db


def report(api, user, project, month, amount, funds, version=None):
    body = {"year": 2026, "month": month, "amount": amount, "funds_in_place": funds, "version": version}
    return api.post(f"/projects/{project.pk}/investment", user, body)


def test_report_list_and_correct_a_month(api, butler, project):
    assert report(api, butler, project, 1, "1000", "800")[0] == 200
    status, february = report(api, butler, project, 2, 2000.25, 0)
    assert status == 200 and february["amount"] == "2000.25" and february["version"] == 1

    status, corrected = report(api, butler, project, 2, "2100", "100", version=1)
    assert status == 200 and corrected["version"] == 2 and corrected["amount"] == "2100.00"
    status, data = report(api, butler, project, 2, "2200", "100", version=1)
    assert status == 409 and data["current_version"] == 2

    status, months = api.get(f"/projects/{project.pk}/investment", butler, year=2026)
    assert status == 200
    assert [(m["month"], m["amount"], m["funds_in_place"]) for m in months] == [
        (1, "1000.00", "800.00"),
        (2, "2100.00", "100.00"),
    ]
    assert api.get(f"/projects/{project.pk}/investment", butler, year=2025)[1] == []


def test_rules_are_400_and_shapes_422(api, butler, project):
    status, data = report(api, butler, project, 1, "1.234", "0")
    assert status == 422 and data["errors"][0]["field"] == "amount"
    status, data = report(api, butler, project, 13, "1", "0")
    assert status == 422 and data["errors"][0]["message"] == "不能大于 12"
    status, data = api.post(
        f"/projects/{project.pk}/investment",
        butler,
        {"year": 2099, "month": 12, "amount": 1, "funds_in_place": 0},
    )
    assert status == 400 and "尚未到来" in data["detail"]


def test_summary_matches_the_selector(api, leader, butler, project, other_project, admin_user):
    target_set(actor=None, year=2026, amount="100000")
    report(api, butler, project, 1, "3000", "1500")
    status, data = api.get("/investment/summary", leader, year=2026, month=3)
    expected = investment_summary(user=leader, year=2026, month=3)
    assert status == 200
    assert Decimal(data["completed"]) == expected.completed == Decimal("3000")
    assert data["target"] == "100000.00" and data["project_count"] == 2
    assert data["schedule_share"] == "0.2500"
    assert Decimal(data["rates"]["investment_completion_rate"]) == round(
        expected.rates.investment_completion_rate, 4
    )
    assert [point["month"] for point in data["series"]] == list(range(1, 13))
    assert data["series"][0]["completed"] == "3000.00" and data["series"][3]["completed"] is None


def test_by_department(api, leader, project, responsible_department):
    status, rows = api.get("/investment/by-department", leader, year=2026, month=6)
    assert status == 200
    assert rows[0]["department_id"] == responsible_department.pk and rows[0]["annual_plan"] == "12000.00"
    assert rows[0]["behind_schedule"] is True
