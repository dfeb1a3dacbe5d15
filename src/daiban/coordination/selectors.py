"""Reads of coordination issues, always scoped by ``CoordinationIssue.objects.for_user``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from daiban.catalogue.selectors import work_calendar
from daiban.coordination.models import (
    ACTIVE_STATUSES,
    CoordinationIssue,
    EscalationLevel,
    Holder,
    IssueAttachment,
    IssueComment,
    IssueHolding,
)
from daiban.core import supervision
from daiban.core.pacing import rate


@dataclass(frozen=True)
class LadderLevel:
    """One rung as the services use it; index 0 is the responsible person (base deadline)."""

    index: int
    name: str
    holder: str
    extra_days: int


_DEFAULT_LADDER = (
    LadderLevel(0, supervision.DEFAULT_BASE_NAME, Holder.SPECIALIST, 0),
    LadderLevel(1, "项目管家", Holder.BUTLER, 3),
    LadderLevel(2, "部门负责人", Holder.DEPARTMENT_HEAD, 3),
    LadderLevel(3, "区领导", Holder.LEADER, 5),
)


def warning_days() -> int:
    """Working days before the due date when an issue turns yellow (settings.ISSUE_WARNING_DAYS)."""
    return settings.ISSUE_WARNING_DAYS


def escalation_ladder() -> tuple[LadderLevel, ...]:
    """The active levels in order (admin-editable rows); the seeded default when the table is empty."""
    rows = list(EscalationLevel.objects.filter(is_active=True).order_by("order"))
    if not rows:
        return _DEFAULT_LADDER
    base = next((row for row in rows if row.order == 0), None)
    levels = [_DEFAULT_LADDER[0] if base is None else LadderLevel(0, base.name, base.holder, 0)]
    for row in rows:
        if row.order > 0:
            levels.append(LadderLevel(len(levels), row.name, row.holder, row.extra_days))
    return tuple(levels)


def ladder_rungs(ladder: tuple[LadderLevel, ...]) -> tuple[supervision.Rung, ...]:
    return tuple(supervision.Rung(level.name, level.extra_days) for level in ladder[1:])


def issue_for_user(user) -> QuerySet[CoordinationIssue]:
    """The one scope of issues (live rows); every issue read starts here."""
    return CoordinationIssue.objects.for_user(user)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def light_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """(today, last due date that is yellow): an active issue due in between is yellow, before red."""
    return today, work_calendar().add_workdays(today, warning_days())


def filter_light(issues: QuerySet[CoordinationIssue], light: str, today: dt.date) -> QuerySet:
    start, last_yellow = light_bounds(today)
    active = issues.filter(status__in=ACTIVE_STATUSES)
    if light == "red":
        return active.filter(due_on__lt=start)
    if light == "yellow":
        return active.filter(due_on__gte=start, due_on__lte=last_yellow)
    if light == "green":
        return active.filter(due_on__gt=last_yellow)
    if light == "none":
        return issues.exclude(status__in=ACTIVE_STATUSES)
    return issues


def issue_list_visible(
    *,
    user,
    status: str | None = None,
    project=None,
    department=None,
    escalated: bool | None = None,
    light: str | None = None,
    search: str | None = None,
    category: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[CoordinationIssue]:
    issues = issue_for_user(user).select_related("project", "department", "assignee")
    if status == "active":
        issues = issues.filter(status__in=ACTIVE_STATUSES)
    elif status:
        issues = issues.filter(status=status)
    if project is not None:
        issues = issues.filter(project_id=getattr(project, "pk", project))
    if department is not None:
        issues = issues.filter(department_id=getattr(department, "pk", department))
    if escalated is True:
        issues = issues.filter(level__gte=1)
    elif escalated is False:
        issues = issues.filter(level=0)
    if category:
        issues = issues.filter(category=category)
    if light:
        issues = filter_light(issues, light, _today(today))
    if search and search.strip():
        term = search.strip()
        issues = issues.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(project__name__icontains=term)
        )
    return issues


def issue_get(*, user, pk: int) -> CoordinationIssue:
    """One issue in the user's scope; out of scope raises CoordinationIssue.DoesNotExist → 404."""
    return issue_for_user(user).select_related("project", "department", "assignee", "created_by").get(pk=pk)


def issues_open_escalated(*, user) -> QuerySet[CoordinationIssue]:
    """Open or in-progress issues escalated to level ≥ 1 (the dispatch report's 督办 list), highest first."""
    return (
        issue_for_user(user)
        .filter(status__in=ACTIVE_STATUSES, level__gte=1)
        .select_related("project", "department", "assignee")
        .order_by("-level", "due_on", "pk")
    )


def issue_light(issue: CoordinationIssue, today: dt.date | None = None) -> str:
    """green / yellow / red for an open or in-progress issue, "" once resolved or closed."""
    return supervision.light(
        due_on=issue.due_on,
        today=_today(today),
        calendar=work_calendar(),
        active=issue.status in ACTIVE_STATUSES,
        warning_days=warning_days(),
    )


def issue_reading(issue: CoordinationIssue, today: dt.date | None = None) -> supervision.Reading:
    """The issue's clock from its stored base due date: level implied today, every level's span, light."""
    ladder = escalation_ladder()
    return supervision.read_from_due(
        raised_on=issue.raised_on,
        due_on=issue.due_on,
        rungs=ladder_rungs(ladder),
        calendar=work_calendar(),
        today=_today(today),
        active=issue.status in ACTIVE_STATUSES,
        warning_days=warning_days(),
        base_name=ladder[0].name,
    )


def issue_holdings(*, user, issue: CoordinationIssue) -> QuerySet[IssueHolding]:
    return IssueHolding.objects.for_user(user).filter(issue=issue).select_related("holder").order_by("level")


def issue_comments(*, user, issue: CoordinationIssue) -> QuerySet[IssueComment]:
    return IssueComment.objects.for_user(user).filter(issue=issue).select_related("created_by")


def issue_attachments(*, user, issue: CoordinationIssue) -> QuerySet[IssueAttachment]:
    return IssueAttachment.objects.for_user(user).filter(issue=issue).select_related("created_by")


def issue_attachment_get(*, user, pk: int) -> IssueAttachment:
    return IssueAttachment.objects.for_user(user).select_related("issue").get(pk=pk)


@dataclass(frozen=True)
class IssueCounts:
    total: int
    active: int
    red: int
    yellow: int
    escalated: int
    resolved: int


def issue_counts(*, user, issues: QuerySet | None = None, today: dt.date | None = None) -> IssueCounts:
    """Counts of the user's issues (or of ``issues``, already scoped) in one query."""
    start, last_yellow = light_bounds(_today(today))
    active = Q(status__in=ACTIVE_STATUSES)
    rows = (issues if issues is not None else issue_for_user(user)).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=active),
        red=Count("pk", filter=active & Q(due_on__lt=start)),
        yellow=Count("pk", filter=active & Q(due_on__gte=start, due_on__lte=last_yellow)),
        escalated=Count("pk", filter=active & Q(level__gte=1)),
        resolved=Count("pk", filter=~active),
    )
    return IssueCounts(**rows)


@dataclass(frozen=True)
class DepartmentIssueStats:
    department_id: int
    department_name: str
    raised: int
    resolved: int
    resolved_on_time: int
    open: int
    open_overdue: int
    escalated: int

    @property
    def on_time_rate(self) -> Decimal | None:
        """Resolved on time / resolved as a share (0.5 = 50%); None when nothing was resolved."""
        return rate(self.resolved_on_time, self.resolved)


def issue_department_stats(
    *, user, date_from: dt.date, date_to: dt.date, today: dt.date | None = None
) -> list[DepartmentIssueStats]:
    """Per responsible department, the issues raised in [date_from, date_to] that the user sees: raised,
    resolved (incl. closed), resolved on time (resolved_on ≤ the original due date), open, open and overdue
    as of ``today``, escalated (level ≥ 1 at any point). Busiest department first."""
    day = _today(today)
    active = Q(status__in=ACTIVE_STATUSES)
    rows = (
        issue_for_user(user)
        .filter(raised_on__gte=date_from, raised_on__lte=date_to)
        .values("department_id", "department__name")
        .annotate(
            raised=Count("pk"),
            resolved=Count("pk", filter=Q(resolved_on__isnull=False)),
            resolved_on_time=Count("pk", filter=Q(resolved_on__isnull=False, resolved_on__lte=F("due_on"))),
            open=Count("pk", filter=active),
            open_overdue=Count("pk", filter=active & Q(due_on__lt=day)),
            escalated=Count("pk", filter=Q(level__gte=1)),
        )
        .order_by("-raised", "department__name")
    )
    return [
        DepartmentIssueStats(
            department_id=row["department_id"],
            department_name=row["department__name"],
            raised=row["raised"],
            resolved=row["resolved"],
            resolved_on_time=row["resolved_on_time"],
            open=row["open"],
            open_overdue=row["open_overdue"],
            escalated=row["escalated"],
        )
        for row in rows
    ]
