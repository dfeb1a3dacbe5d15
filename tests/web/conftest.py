"""A small portfolio for the dashboard and list pages, and a signed-in client per role.

    project                 butler  year  category    light   milestone  overdue cases (dept, days)
    京南生物医药产业化基地  张三    2026  new_start   red     started    规自 10, 水务 3
    亦庄机器人整机制造项目  李四    2026  new_start   yellow  land       规自 4
    绿色 green project      —       2026  continuing  green   completed  —
    储备 reserve project    李四    2026  reserve     —       —          —
    旧项目 2025             张三    2025  continuing  red     started    —
Investment 2026 (target 10,000 万元, even pacing): plans 12,000 + 12,000 + 12,000; reported Jan–Jun.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.investment.models import InvestmentTarget, MonthlyInvestment

PASSWORD = "pass-12345"  # tests/conftest.py


def overdue_case(project, code: str, department, days: int, **extra) -> ApprovalCase:
    fields = {
        "item_code": code,
        "name": f"审批事项{code}",
        "stage": "land_planning",
        "department": department,
        "department_name": department.name if department else "",
        "sla_state": "overdue",
        "overdue_days": days,
        "light": "red",
    }
    return ApprovalCase.objects.create(project=project, **(fields | extra))


@pytest.fixture
def portfolio(
    project, other_project, project_factory, department_factory, butler, other_butler, milestone_kinds
):
    guizi = department_factory(name="区规划和自然资源分局", short_name="规自")
    shuiwu = department_factory(name="区水务局", short_name="水务")
    reds = [{"light": "red", "rule": "case_overdue", "text": "审批事项A1 逾期 10 工作日"}]
    project.light, project.light_reasons, project.current_milestone = "red", reds, "started"
    project.save()
    other_project.light, other_project.current_milestone = "yellow", "land_acquired"
    other_project.light_reasons = [{"light": "yellow", "rule": "pace", "text": "投资完成率低于序时进度"}]
    other_project.save()
    green = project_factory(
        name="绿色产业园项目",
        category="continuing",
        light="green",
        current_milestone="completed",
        industry="新材料",
    )
    reserve = project_factory(name="储备项目", category="reserve", butler=other_butler)
    old = project_factory(name="旧项目", year=2025, category="continuing", butler=butler, light="red")
    old.current_milestone = "started"
    old.save()
    overdue_case(project, "A1", guizi, 10)
    overdue_case(project, "A2", shuiwu, 3)
    overdue_case(other_project, "B1", guizi, 4)
    # Neither counts as overdue: decided late, and a warning.
    overdue_case(
        other_project,
        "B2",
        shuiwu,
        7,
        sla_state="done_late",
        decided_on="2026-05-01",
        accepted_on="2026-04-01",
    )
    overdue_case(green, "C1", shuiwu, 0, sla_state="warning")
    InvestmentTarget.objects.create(year=2026, amount=Decimal("10000"))
    for month, amount in [(1, "1000"), (3, "2000"), (6, "1500")]:
        MonthlyInvestment.objects.create(project=project, year=2026, month=month, amount=Decimal(amount))
    MonthlyInvestment.objects.create(project=green, year=2026, month=2, amount=Decimal("3000"))
    MonthlyInvestment.objects.create(project=green, year=2026, month=9, amount=Decimal("999"))  # after June
    return {
        "mine": project,
        "other": other_project,
        "green": green,
        "reserve": reserve,
        "old": old,
        "guizi": guizi,
        "shuiwu": shuiwu,
    }


@pytest.fixture
def signed_in(client, users):
    """signed_in("butler") → the test client signed in as that role's user (force_login: no password work)."""

    def sign_in(role: str):
        client.force_login(users[role])
        return client

    return sign_in
