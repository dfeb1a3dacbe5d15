"""A small portfolio for the meetings' tests (lights, overdue cases, investment, milestones, issues).

    project                 butler  light   overdue cases (dept, days)   milestones
    京南生物医药产业化基地  张三    red     规自 10, 水务 3              开工 actual 2026-06-10
    亦庄机器人整机制造项目  李四    yellow  规自 4                       开工 planned 2026-06-20
    绿色产业园项目          —       green   —                            —
Investment 2026 (target 10,000 万元): plans 12,000 each; reported Jan, Mar, Jun.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from daiban.approvals.models import ApprovalCase
from daiban.audit.models import AuditAction, AuditEntry
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.projects.models import Milestone, MilestoneKind

MEETING_DAY = dt.date(2026, 6, 15)  # a Monday


def overdue_case(project, code: str, department, days: int) -> ApprovalCase:
    return ApprovalCase.objects.create(
        project=project,
        item_code=code,
        name=f"审批事项{code}",
        stage="land_planning",
        department=department,
        department_name=department.name,
        sla_state="overdue",
        overdue_days=days,
        light="red",
    )


def light_changed(project, old: str, new: str, on: dt.date) -> None:
    """What the daily run writes when a project's light changes colour."""
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(6, 0)))
    AuditEntry.objects.create(
        at=at,
        action=AuditAction.SYSTEM,
        model_label="projects.project",
        object_id=str(project.pk),
        object_repr=project.name,
        project=project,
        changes={"light": [old, new]},
        note="红绿灯",
    )


@pytest.fixture
def portfolio(project, other_project, project_factory, department_factory, milestone_kinds, users):
    guizi = department_factory(name="区规划和自然资源分局", short_name="规自")
    shuiwu = department_factory(name="区水务局", short_name="水务")
    project.light, project.current_milestone = "red", "started"
    project.light_reasons = [{"light": "red", "rule": "case_overdue", "text": "审批事项A1 逾期 10 工作日"}]
    project.save()
    other_project.light = "yellow"
    other_project.light_reasons = [{"light": "yellow", "rule": "pace", "text": "投资完成率低于序时进度"}]
    other_project.save()
    green = project_factory(name="绿色产业园项目", category="continuing", light="green")
    overdue_case(project, "A1", guizi, 10)
    overdue_case(project, "A2", shuiwu, 3)
    overdue_case(other_project, "B1", guizi, 4)
    InvestmentTarget.objects.create(year=2026, amount=Decimal("10000"))
    for month, amount in [(1, "1000"), (3, "2000"), (6, "1500")]:
        MonthlyInvestment.objects.create(
            project=project, year=2026, month=month, amount=Decimal(amount), funds_in_place=Decimal("100")
        )
    started = MilestoneKind.objects.get(code="started")
    Milestone.objects.create(project=project, kind=started, actual_on=dt.date(2026, 6, 10))
    Milestone.objects.create(project=other_project, kind=started, planned_on=dt.date(2026, 6, 20))
    light_changed(project, "yellow", "red", dt.date(2026, 6, 8))
    light_changed(green, "red", "green", dt.date(2026, 6, 9))
    light_changed(green, "", "red", dt.date(2026, 5, 1))  # before the period
    return {"red": project, "yellow": other_project, "green": green, "guizi": guizi, "shuiwu": shuiwu}
