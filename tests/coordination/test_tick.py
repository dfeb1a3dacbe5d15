"""The daily escalation (issue_tick) on the working-day calendar: levels, history, messages, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.audit.models import AuditEntry
from daiban.coordination.models import CoordinationIssue, EscalationLevel, IssueHolding
from daiban.coordination.services import issue_resolve, issue_tick
from daiban.daily import run_daily
from daiban.notifications.models import Notification

D = dt.date


@pytest.fixture
def national_day_issue(raise_issue, water_specialist, clock):
    """Raised Tue 2026-09-29 with 5 working days: due Mon 10-12 (National Day rest 10-01..10-07 skipped)."""
    clock.set(D(2026, 9, 29))
    return raise_issue(assignee=water_specialist, today=D(2026, 9, 29))


def holdings(issue) -> list[tuple]:
    return list(
        IssueHolding.objects.filter(issue=issue)
        .order_by("level")
        .values_list("level", "holder_label", "started_on", "due_on", "ended_on")
    )


def test_escalation_across_national_day(national_day_issue, leader, dispatcher, butler, water_specialist):
    issue = national_day_issue
    assert issue.due_on == D(2026, 10, 12)

    # During the holiday and on the due date nothing escalates.
    for day in (D(2026, 10, 5), D(2026, 10, 12)):
        result = issue_tick(today=day)
        assert (result.escalated, CoordinationIssue.objects.get(pk=issue.pk).level) == (0, 0)

    # The working day after the due date: 项目管家 holds it until 10-15.
    result = issue_tick(today=D(2026, 10, 13))
    assert (result.evaluated, result.escalated, result.overdue) == (1, 1, 1)
    issue.refresh_from_db()
    assert (issue.level, issue.level_due_on, issue.version) == (1, D(2026, 10, 15), 1)
    assert holdings(issue) == [
        (0, "区水务局 陈水务", D(2026, 9, 29), D(2026, 10, 12), D(2026, 10, 12)),
        (1, "项目管家 张三", D(2026, 10, 13), D(2026, 10, 15), None),
    ]
    escalated = Notification.objects.filter(key=f"issue:{issue.pk}:escalated:1")
    assert set(escalated.values_list("recipient", flat=True)) == {butler.pk}
    assert Notification.objects.filter(
        key=f"issue:{issue.pk}:overdue:2026-10-12", recipient=water_specialist
    ).exists()

    # A week later (10-21) it has passed 部门负责人 (10-16..10-20) and reached 区领导.
    issue_tick(today=D(2026, 10, 21))
    issue.refresh_from_db()
    assert (issue.level, issue.level_due_on) == (3, D(2026, 10, 27))
    assert [row[0] for row in holdings(issue)] == [0, 1, 2, 3]
    assert holdings(issue)[2] == (
        2,
        "区水务局 负责人 王局长",
        D(2026, 10, 16),
        D(2026, 10, 20),
        D(2026, 10, 20),
    )
    assert holdings(issue)[3][1:] == ("区领导（赵领导）", D(2026, 10, 21), D(2026, 10, 27), None)
    assert Notification.objects.filter(key=f"issue:{issue.pk}:escalated:3", recipient=leader).exists()
    # Only the level reached is announced when several are passed at once.
    assert not Notification.objects.filter(key=f"issue:{issue.pk}:escalated:2").exists()
    audit = AuditEntry.objects.filter(model_label="coordination.coordinationissue", note="督办升级")
    assert [entry.changes["level"] for entry in audit.order_by("id")] == [[0, 1], [1, 3]]


def test_a_first_tick_long_after_keeps_each_levels_dates(national_day_issue):
    issue_tick(today=D(2026, 11, 30))
    rows = holdings(national_day_issue)
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (0, D(2026, 9, 29), D(2026, 10, 12), D(2026, 10, 12)),
        (1, D(2026, 10, 13), D(2026, 10, 15), D(2026, 10, 15)),
        (2, D(2026, 10, 16), D(2026, 10, 20), D(2026, 10, 20)),
        (3, D(2026, 10, 21), D(2026, 10, 27), None),
    ]


def test_tick_is_idempotent(national_day_issue, raise_issue, leader, clock):
    clock.set(D(2026, 10, 9))
    raise_issue(title="规划条件调整", category="planning", today=D(2026, 10, 9), deadline_days=2)  # yellow
    first = issue_tick(today=D(2026, 10, 21))
    counts = (IssueHolding.objects.count(), Notification.objects.count(), AuditEntry.objects.count())
    second = issue_tick(today=D(2026, 10, 21))
    assert first.escalated == 2 and first.notified > 0
    assert (second.escalated, second.notified) == (0, 0)
    assert (IssueHolding.objects.count(), Notification.objects.count(), AuditEntry.objects.count()) == counts
    assert str(second) == "协调事项：评估 2 个，新升级 0 个，逾期 2 个"


def test_due_soon_is_announced_once(raise_issue, water_specialist, clock):
    issue = raise_issue(assignee=water_specialist)  # due Mon 03-09
    assert issue_tick(today=D(2026, 3, 4)).notified == 0  # 3 working days left: green
    assert issue_tick(today=D(2026, 3, 5)).notified == 1  # 2 left: yellow
    assert issue_tick(today=D(2026, 3, 6)).notified == 0
    note = Notification.objects.get(kind="issue_due")
    assert (note.recipient, note.key) == (water_specialist, f"issue:{issue.pk}:due:2026-03-09")


def test_resolved_issues_do_not_escalate(raise_issue, water_specialist, clock):
    issue = raise_issue(assignee=water_specialist)
    clock.set(D(2026, 3, 6))
    issue_resolve(actor=water_specialist, issue=issue, expected_version=1, resolution="已接入")
    result = issue_tick(today=D(2026, 3, 20))
    assert (result.evaluated, result.escalated) == (0, 0)
    assert CoordinationIssue.objects.get(pk=issue.pk).level == 0


def test_the_ladder_is_data(raise_issue, water_specialist, dispatcher):
    """An admin adds a 调度 level after 项目管家 and shortens 项目管家 to 1 day."""
    EscalationLevel.objects.filter(order=1).update(extra_days=1)
    EscalationLevel.objects.filter(order__gte=2).update(is_active=False)
    EscalationLevel.objects.create(order=9, name="调度督办", holder="dispatcher", extra_days=2)
    issue = raise_issue(assignee=water_specialist)  # due 03-09
    issue_tick(today=D(2026, 3, 11))
    issue.refresh_from_db()
    assert (issue.level, issue.level_due_on) == (2, D(2026, 3, 12))  # 管家 03-10, 调度 03-11..03-12
    assert Notification.objects.filter(key=f"issue:{issue.pk}:escalated:2", recipient=dispatcher).exists()


def test_the_daily_run_includes_the_issue_tick(national_day_issue):
    result = run_daily(today=D(2026, 10, 13))
    assert "协调事项：评估 1 个，新升级 1 个，逾期 1 个" in result.lines()
