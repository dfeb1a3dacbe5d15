"""Raising an issue and moving it through its lifecycle: open → in progress → resolved → closed (or reopened).

Each write reads the issue through the actor's scope (out of scope: DoesNotExist → 404), checks the named
permission, checks the version the user saw, and is audited by ``update_versioned``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from daiban.accounts.permissions import require
from daiban.audit.services import create_tracked, update_versioned
from daiban.catalogue.selectors import work_calendar
from daiban.coordination import permissions
from daiban.coordination.models import (
    ACTIVE_STATUSES,
    CoordinationIssue,
    IssueCategory,
    IssueComment,
    IssueHolding,
    IssueSource,
    IssueStatus,
)
from daiban.coordination.selectors import escalation_ladder
from daiban.coordination.services.holders import Directory, IssueRef
from daiban.core import supervision
from daiban.core.errors import DomainError
from daiban.notifications.models import Kind
from daiban.notifications.services import notify
from daiban.projects.models import Project

MAX_DEADLINE_DAYS = 250  # about a working year: a longer "deadline" is not a coordination issue


def today() -> dt.date:
    return timezone.localdate()


def issue_url(issue) -> str:
    return f"/issues/{issue.pk}/"


@transaction.atomic
def issue_raise(
    *,
    actor,
    project: Project,
    title: str,
    category: str,
    department,
    deadline_days: int,
    description: str = "",
    assignee=None,
    today: dt.date | None = None,
    source: str = IssueSource.TEAM,
    source_note: str = "",
) -> CoordinationIssue:
    """Raise an issue on ``project`` for ``department`` (and ``assignee``), due ``deadline_days`` working
    days after ``today``; the responsible person (or the department's specialists) is notified."""
    project = Project.objects.for_user(actor).select_for_update().get(pk=getattr(project, "pk", project))
    require(
        permissions.can_raise_issue(actor=actor, project=project),
        "只有本项目的服务团队、调度或管理员可以提出协调事项",
    )
    raised_on = today or _today()
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写事项标题")
    if category not in IssueCategory.values:
        raise DomainError(f"未知的事项类别“{category}”（可选：{'、'.join(IssueCategory.labels)}）")
    if source not in IssueSource.values:
        raise DomainError(f"未知的事项来源“{source}”")
    if department is None:
        raise DomainError("请选择责任单位")
    if not isinstance(deadline_days, int) or not 1 <= deadline_days <= MAX_DEADLINE_DAYS:
        raise DomainError(f"办理时限应为 1–{MAX_DEADLINE_DAYS} 个工作日")
    if assignee is not None and (not assignee.is_active or assignee.has_role("enterprise")):
        raise DomainError("责任人应为在职的区内工作人员")
    due_on = supervision.base_due(raised_on=raised_on, deadline_days=deadline_days, calendar=work_calendar())
    issue = create_tracked(
        CoordinationIssue,
        actor=actor,
        project=project,
        title=title,
        description=(description or "").strip(),
        category=category,
        department=department,
        assignee=assignee,
        deadline_days=deadline_days,
        raised_on=raised_on,
        due_on=due_on,
        source=source,
        source_note=(source_note or "").strip()[:200],
    )
    base = escalation_ladder()[0]
    holding = Directory.load().holding(base, IssueRef.of(issue))
    create_tracked(
        IssueHolding,
        actor=actor,
        issue=issue,
        level=0,
        level_name=base.name,
        holder_label=holding.label[:200],
        holder=holding.user,
        started_on=raised_on,
        due_on=due_on,
        reason="交办" if source == IssueSource.TEAM else f"调度会交办 {issue.source_note}".strip(),
    )
    notify(
        recipients=[user for user in holding.recipients if user.pk != getattr(actor, "pk", None)],
        kind=Kind.ISSUE_ASSIGNED,
        key=f"issue:{issue.pk}:assigned",
        title=f"协调事项交办：{issue.title}",
        body=f"项目“{project}”提出协调事项，请于 {due_on:%Y年%m月%d日} 前办结。",
        url=issue_url(issue),
        project=project,
    )
    return issue


@transaction.atomic
def issue_start(*, actor, issue: CoordinationIssue, expected_version: int | None) -> CoordinationIssue:
    """The responsible side started working on it (待办 → 办理中)."""
    issue = _issue_for_write(actor, issue)
    require(
        permissions.can_work_issue(actor=actor, issue=issue), "只有责任单位、服务团队或调度可以办理此事项"
    )
    if issue.status != IssueStatus.OPEN:
        raise DomainError(f"只有待办的事项可以开始办理（当前：{issue.get_status_display()}）")
    return update_versioned(
        issue,
        actor=actor,
        expected_version=expected_version,
        changes={"status": IssueStatus.IN_PROGRESS},
        audit_note="开始办理",
    )


@transaction.atomic
def issue_resolve(
    *,
    actor,
    issue: CoordinationIssue,
    expected_version: int | None,
    resolution: str,
    resolved_on: dt.date | None = None,
) -> CoordinationIssue:
    """Record the result (办理结果); the raiser then closes it or reopens it."""
    issue = _issue_for_write(actor, issue)
    require(
        permissions.can_work_issue(actor=actor, issue=issue), "只有责任单位、服务团队或调度可以办结此事项"
    )
    if issue.status not in ACTIVE_STATUSES:
        raise DomainError(f"事项已{issue.get_status_display()}，不能再次办结")
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError("请填写办理结果")
    day = resolved_on or _today()
    if day < issue.raised_on:
        raise DomainError(f"解决日期 {day} 不能早于提出日期 {issue.raised_on}")
    if day > _today():
        raise DomainError(f"解决日期 {day} 不能晚于今天")
    changes = {"status": IssueStatus.RESOLVED, "resolution": resolution, "resolved_on": day}
    return update_versioned(
        issue, actor=actor, expected_version=expected_version, changes=changes, audit_note="办结"
    )


@transaction.atomic
def issue_close(*, actor, issue: CoordinationIssue, expected_version: int | None) -> CoordinationIssue:
    """The raiser accepts the result (已关闭)."""
    issue = _issue_for_write(actor, issue)
    require(permissions.can_close_issue(actor=actor, issue=issue), "只有提出人、调度或管理员可以关闭此事项")
    if issue.status != IssueStatus.RESOLVED:
        raise DomainError(f"只有已解决的事项可以关闭（当前：{issue.get_status_display()}）")
    changes = {"status": IssueStatus.CLOSED, "closed_on": max(_today(), issue.resolved_on)}
    return update_versioned(
        issue, actor=actor, expected_version=expected_version, changes=changes, audit_note="关闭"
    )


@transaction.atomic
def issue_reopen(
    *, actor, issue: CoordinationIssue, expected_version: int | None, reason: str
) -> CoordinationIssue:
    """The result was not good enough: back to 办理中, with the reason in the comment thread.

    Note: the clock is not reset: the issue keeps its due date and its ladder, so a reopened overdue issue is
    escalated again by the next tick from where it stood.
    """
    issue = _issue_for_write(actor, issue)
    require(
        permissions.can_close_issue(actor=actor, issue=issue), "只有提出人、调度或管理员可以重新打开此事项"
    )
    if issue.status not in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
        raise DomainError(f"只有已解决或已关闭的事项可以重新打开（当前：{issue.get_status_display()}）")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写重新打开的原因")
    previous = issue.resolution
    changes = {"status": IssueStatus.IN_PROGRESS, "resolution": "", "resolved_on": None, "closed_on": None}
    issue = update_versioned(
        issue,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        audit_note=f"重新打开：{reason}"[:300],
    )
    create_tracked(
        IssueComment, actor=actor, issue=issue, body=f"重新打开：{reason}\n（原办理结果：{previous}）"
    )
    return issue


@transaction.atomic
def issue_comment(*, actor, issue: CoordinationIssue, body: str) -> IssueComment:
    issue = _issue_for_write(actor, issue)
    require(permissions.can_comment_issue(actor=actor, issue=issue), "您不能评论此事项")
    body = (body or "").strip()
    if not body:
        raise DomainError("评论内容不能为空")
    if len(body) > 5000:
        raise DomainError("评论不能超过 5000 字")
    return create_tracked(IssueComment, actor=actor, issue=issue, body=body)


def _today() -> dt.date:
    # Note: looked up at call time so tests can pin the date by replacing ``lifecycle.today``.
    from daiban.coordination.services import lifecycle

    return lifecycle.today()


def _issue_for_write(actor, issue) -> CoordinationIssue:
    """The issue, locked, in the actor's scope (out of scope raises DoesNotExist)."""
    rows = CoordinationIssue.objects.for_user(actor).select_for_update(of=("self",))
    return rows.select_related("project").get(pk=getattr(issue, "pk", issue))
