"""The 调度报告 figures for a period: one selector, built on the dashboard's own selectors.

Counts, lights, the red/yellow list, overdue cases by department, investment, 序时进度 and 四率 are the
``DashboardFigures`` of ``projects.dashboard.dashboard_figures`` for the period's year and reporting month, so
the report cannot disagree with the 驾驶舱. The changes in the period come from the data: 开工 and other
milestones whose actual date falls in the period, and the daily run's audit entries of light changes.
Issues come from the coordination selectors. A constant number of queries whatever the portfolio size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from daiban.audit.models import AuditAction, AuditEntry
from daiban.core.errors import DomainError
from daiban.projects.choices import Light
from daiban.projects.dashboard import DashboardFigures, dashboard_default_month, dashboard_figures
from daiban.projects.models import Milestone
from daiban.projects.selectors import milestone_kind_list, project_for_user

STARTED = "started"
LIGHT_NOTE = "红绿灯"  # approvals.services.daily._tick_lights writes its colour changes with this note
LIST_LIMIT = 200  # rows per list in the report; totals are always complete


@dataclass(frozen=True)
class MilestoneReached:
    project_id: int
    project_name: str
    kind_code: str
    kind_name: str
    actual_on: dt.date


@dataclass(frozen=True)
class KindCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class LightChange:
    project_id: int
    project_name: str
    old: str
    new: str
    on: dt.date


@dataclass(frozen=True)
class IssueRow:
    pk: int
    project_id: int
    project_name: str
    title: str
    department: str
    status: str
    level: int
    raised_on: dt.date
    due_on: dt.date
    overdue_days: int  # natural days past the due date at the period's end (0 when not overdue)


@dataclass(frozen=True)
class IssueDepartmentRow:
    department: str
    raised: int
    resolved: int
    resolved_on_time: int
    rate: Decimal | None  # share resolved on time
    open: int
    open_overdue: int
    escalated: int


@dataclass(frozen=True)
class DispatchReport:
    date_from: dt.date
    date_to: dt.date
    figures: DashboardFigures  # the dashboard's figures for (year, month)
    new_starts: tuple[MilestoneReached, ...]
    milestones: tuple[MilestoneReached, ...]
    milestones_by_kind: tuple[KindCount, ...]
    turned_red: tuple[LightChange, ...]
    turned_green: tuple[LightChange, ...]
    open_issues: tuple[IssueRow, ...]
    open_issue_total: int
    escalated_issues: tuple[IssueRow, ...]
    issue_departments: tuple[IssueDepartmentRow, ...]

    @property
    def year(self) -> int:
        return self.figures.year

    @property
    def month(self) -> int:
        return self.figures.month

    @property
    def investment(self):
        return self.figures.investment

    @property
    def milestone_total(self) -> int:
        return len(self.milestones)


def default_period(*, today: dt.date | None = None, days: int | None = None) -> tuple[dt.date, dt.date]:
    """The two weeks (``DISPATCH_PERIOD_DAYS``) ending on ``today``."""
    from daiban.meetings.selectors import period_days

    today = today or timezone.localdate()
    days = days or period_days()
    return today - dt.timedelta(days=days - 1), today


def dispatch_report(*, user, date_from: dt.date, date_to: dt.date) -> DispatchReport:
    """The report of the user's projects for [date_from, date_to]; portfolio figures as of ``date_to``'s
    reporting month (the latest month with reported investment, as the dashboard picks it)."""
    for day in (date_from, date_to):
        if not 2000 <= day.year <= 2100:
            raise DomainError(f"报告日期应在 2000–2100 年之间：{day}")
    year = date_to.year
    month = dashboard_default_month(user=user, year=year, today=date_to)
    figures = dashboard_figures(user=user, year=year, month=month)
    reached = _milestones(user, date_from, date_to)
    turned_red, turned_green = _light_changes(user, date_from, date_to)
    open_rows, open_total, escalated = _issues(user, date_to)
    return DispatchReport(
        date_from=date_from,
        date_to=date_to,
        figures=figures,
        new_starts=tuple(row for row in reached if row.kind_code == STARTED),
        milestones=reached,
        milestones_by_kind=_by_kind(reached),
        turned_red=turned_red,
        turned_green=turned_green,
        open_issues=open_rows,
        open_issue_total=open_total,
        escalated_issues=escalated,
        issue_departments=_issue_departments(user, date_from, date_to),
    )


def _milestones(user, date_from: dt.date, date_to: dt.date) -> tuple[MilestoneReached, ...]:
    rows = (
        Milestone.objects.filter(
            project__in=project_for_user(user), actual_on__gte=date_from, actual_on__lte=date_to
        )
        .values_list("project_id", "project__name", "kind__code", "kind__name", "actual_on")
        .order_by("kind__order", "actual_on", "project__name", "pk")
    )
    return tuple(MilestoneReached(*row) for row in rows)


def _by_kind(reached: tuple[MilestoneReached, ...]) -> tuple[KindCount, ...]:
    counts: dict[str, int] = {}
    for row in reached:
        counts[row.kind_code] = counts.get(row.kind_code, 0) + 1
    return tuple(KindCount(kind.code, kind.name, counts.get(kind.code, 0)) for kind in milestone_kind_list())


def _light_changes(
    user, date_from: dt.date, date_to: dt.date
) -> tuple[tuple[LightChange, ...], tuple[LightChange, ...]]:
    """Projects whose light became red / green in the period (the last change of each project counts).

    Note: a first assessment (未评估 → a colour) is not a change: a project newly on the list, or the first
    daily run, would otherwise read as the whole portfolio turning red or green.
    """
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = (
        AuditEntry.objects.filter(
            action=AuditAction.SYSTEM,
            note=LIGHT_NOTE,
            model_label="projects.project",
            at__gte=start,
            at__lt=end,
            project__in=project_for_user(user),
        )
        .values_list("project_id", "project__name", "changes", "at")
        .order_by("at", "id")
    )
    last: dict[int, LightChange] = {}
    for project_id, name, changes, at in rows:
        old, new = (changes or {}).get("light", [None, None])
        if not old:
            continue
        last[project_id] = LightChange(project_id, name, old or "", new or "", timezone.localtime(at).date())
    changes = sorted(last.values(), key=lambda change: (change.on, change.project_name))
    return (
        tuple(change for change in changes if change.new == Light.RED),
        tuple(change for change in changes if change.new == Light.GREEN),
    )


def _issue_row(issue, date_to: dt.date) -> IssueRow:
    return IssueRow(
        pk=issue.pk,
        project_id=issue.project_id,
        project_name=issue.project.name,
        title=issue.title,
        department=issue.department.name,
        status=issue.get_status_display(),
        level=issue.level,
        raised_on=issue.raised_on,
        due_on=issue.due_on,
        overdue_days=max((date_to - issue.due_on).days, 0),
    )


def _issues(user, date_to: dt.date) -> tuple[tuple[IssueRow, ...], int, tuple[IssueRow, ...]]:
    from daiban.coordination.models import ACTIVE_STATUSES
    from daiban.coordination.selectors import issue_for_user, issues_open_escalated

    active = issue_for_user(user).filter(status__in=ACTIVE_STATUSES).select_related("project", "department")
    rows = active.order_by("-level", "due_on", "pk")[:LIST_LIMIT]
    escalated = issues_open_escalated(user=user).select_related("project", "department")
    return (
        tuple(_issue_row(issue, date_to) for issue in rows),
        active.count(),
        tuple(_issue_row(issue, date_to) for issue in escalated.order_by("-level", "due_on", "pk")),
    )


def _issue_departments(user, date_from: dt.date, date_to: dt.date) -> tuple[IssueDepartmentRow, ...]:
    from daiban.coordination.selectors import issue_department_stats

    rows = issue_department_stats(user=user, date_from=date_from, date_to=date_to, today=date_to)
    return tuple(
        IssueDepartmentRow(
            department=row.department_name,
            raised=row.raised,
            resolved=row.resolved,
            resolved_on_time=row.resolved_on_time,
            # Note: coordination gives the rate in percent; the report keeps every rate as a share.
            rate=row.on_time_rate,
            open=row.open,
            open_overdue=row.open_overdue,
            escalated=row.escalated,
        )
        for row in rows
    )
