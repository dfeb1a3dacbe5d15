"""Reads: the scope of issues per role, the escalated list, lights, and the per-department statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daiban.coordination.selectors import (
    issue_counts,
    issue_department_stats,
    issue_for_user,
    issue_light,
    issue_list_visible,
    issues_open_escalated,
)
from daiban.coordination.services import issue_resolve, issue_tick

D = dt.date


@pytest.fixture
def portfolio(raise_issue, other_project, other_butler, water, water_specialist, department, clock):
    """Three issues raised on 03-02 (due 03-09 with 5 days):
    water_late — 区水务局, resolved 03-12 (late); water_on_time — 区水务局, resolved 03-06;
    planning_open — 规自 on 李四's project, still open (escalated by the tick on 03-20)."""
    late = raise_issue(title="施工用水临时接入")
    on_time = raise_issue(title="雨污水管网接驳", category="utilities")
    open_one = raise_issue(
        actor=other_butler,
        project=other_project,
        title="规划条件调整",
        category="planning",
        department=department,
    )
    clock.set(D(2026, 3, 6))
    issue_resolve(actor=water_specialist, issue=on_time, expected_version=1, resolution="已接驳")
    clock.set(D(2026, 3, 12))
    issue_resolve(actor=water_specialist, issue=late, expected_version=1, resolution="已接入")
    issue_tick(today=D(2026, 3, 20))
    clock.set(D(2026, 3, 20))
    return {"late": late, "on_time": on_time, "open": open_one}


def test_scope_by_role(portfolio, users, water_specialist, specialist):
    titles = lambda user: set(issue_for_user(user).values_list("title", flat=True))  # noqa: E731
    everything = {"施工用水临时接入", "雨污水管网接驳", "规划条件调整"}
    for role in ("admin", "leader", "dispatcher"):
        assert titles(users[role]) == everything
    assert titles(users["butler"]) == {"施工用水临时接入", "雨污水管网接驳"}
    assert titles(users["other_butler"]) == {"规划条件调整"}
    # 孙专员 (规自) serves 张三's project and is in 规自, responsible for 李四's issue.
    assert titles(specialist) == everything
    # 陈水务 (水务) serves no project but his department is responsible for two issues.
    assert titles(water_specialist) == {"施工用水临时接入", "雨污水管网接驳"}
    assert titles(users["enterprise"]) == set() and titles(users["no_role"]) == set()


def test_open_escalated_and_lights(portfolio, dispatcher, butler):
    escalated = list(issues_open_escalated(user=dispatcher))
    assert [(i.title, i.level) for i in escalated] == [("规划条件调整", 3)]
    assert list(issues_open_escalated(user=butler)) == []
    assert issue_light(portfolio["open"], D(2026, 3, 20)) == "red"
    portfolio["late"].refresh_from_db()
    assert issue_light(portfolio["late"], D(2026, 3, 20)) == ""
    assert [i.title for i in issue_list_visible(user=dispatcher, light="red", today=D(2026, 3, 20))] == [
        "规划条件调整"
    ]
    counts = issue_counts(user=dispatcher, today=D(2026, 3, 20))
    assert (counts.total, counts.active, counts.red, counts.escalated, counts.resolved) == (3, 1, 1, 1, 2)


def test_department_stats(portfolio, dispatcher, butler):
    stats = {
        row.department_name: row
        for row in issue_department_stats(
            user=dispatcher, date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), today=D(2026, 3, 20)
        )
    }
    water = stats["区水务局"]
    assert (water.raised, water.resolved, water.resolved_on_time, water.open, water.escalated) == (
        2,
        2,
        1,
        0,
        0,
    )
    assert water.on_time_rate == Decimal("0.5")
    planning = stats["区规划和自然资源分局"]
    assert (planning.raised, planning.resolved, planning.open, planning.open_overdue, planning.escalated) == (
        1,
        0,
        1,
        1,
        1,
    )
    assert planning.on_time_rate is None
    # Scoped: 张三 counts only his own project's issues; another period counts nothing.
    assert [
        row.department_name
        for row in issue_department_stats(user=butler, date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    ] == ["区水务局"]
    assert issue_department_stats(user=dispatcher, date_from=D(2026, 4, 1), date_to=D(2026, 4, 30)) == []
