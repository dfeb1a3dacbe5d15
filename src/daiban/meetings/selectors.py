"""Reads of dispatch meetings, and the default agenda of a new meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from daiban.accounts.models import Role, User
from daiban.accounts.selectors import system_user
from daiban.meetings.models import AgendaItem, DispatchMeeting, ItemStatus, Reason
from daiban.meetings.permissions import can_view_meetings
from daiban.projects.choices import Light
from daiban.projects.models import Milestone, Project
from daiban.projects.selectors import project_for_user

# The order reasons are discussed in, and the primary reason of an item with several.
REASON_ORDER = (
    Reason.CARRIED_OVER,
    Reason.RED,
    Reason.ESCALATED_ISSUE,
    Reason.YELLOW,
    Reason.MILESTONE_DUE,
    Reason.ADDED,
)


def period_days() -> int:
    return settings.DISPATCH_PERIOD_DAYS


def scope_user(user):
    return system_user() if user is None else user


def meeting_for_user(user) -> QuerySet[DispatchMeeting]:
    if not can_view_meetings(actor=user):
        return DispatchMeeting.objects.none()
    return DispatchMeeting.objects.all()


def meeting_list(*, user) -> QuerySet[DispatchMeeting]:
    open_items = Count("items", filter=Q(items__deleted_at__isnull=True))
    return meeting_for_user(user).annotate(item_count=open_items).order_by("-held_on", "-number")


def meeting_get(*, user, pk: int) -> DispatchMeeting:
    return meeting_for_user(user).get(pk=pk)


def meeting_previous(*, held_on: dt.date, exclude_pk: int | None = None) -> DispatchMeeting | None:
    """The latest meeting before ``held_on`` (the one whose open items carry over)."""
    meetings = DispatchMeeting.objects.filter(held_on__lt=held_on)
    if exclude_pk:
        meetings = meetings.exclude(pk=exclude_pk)
    return meetings.order_by("-held_on", "-number").first()


def agenda_items(*, user, meeting: DispatchMeeting) -> QuerySet[AgendaItem]:
    meeting = meeting_get(user=user, pk=meeting.pk)
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "project",
            "project__butler",
            "project__responsible_department",
            "issue",
            "issue__department",
            "issue__project",
            "carried_from__meeting",
        )
        .prefetch_related("decisions", "decisions__department", "decisions__issue")
        .order_by("order", "pk")
    )


@dataclass
class ProposedItem:
    """One item of a default agenda, before it is stored."""

    reason: str
    project: Project | None = None
    issue: object | None = None  # coordination.CoordinationIssue
    reasons: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    carried_from: AgendaItem | None = None

    @property
    def reason_text(self) -> str:
        return "；".join(text for text in self.texts if text)

    def add(self, reason: str, text: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        if text and text not in self.texts:
            self.texts.append(text)
        self.reason = min(self.reasons, key=REASON_ORDER.index)

    @property
    def reason_tags(self) -> list[tuple[str, str]]:
        return [(code, Reason(code).label) for code in self.reasons]


def agenda_default(
    *, user, meeting_date: dt.date, period_to: dt.date | None = None, previous: DispatchMeeting | None = None
) -> list[ProposedItem]:
    """The default agenda: red/yellow projects of the year's list, projects with a milestone planned in
    (meeting_date, meeting_date + period], open escalated issues, and the previous meeting's open items.

    One item per project (its reasons merged) and one per escalated issue; a carried item joins the item of
    the same project or issue. Ordered by reason (carried over, red, escalated, yellow, milestone), then name.
    """
    user = scope_user(user)
    projects: dict[int, ProposedItem] = {}
    issues: dict[int, ProposedItem] = {}
    loose: list[ProposedItem] = []
    previous = previous or meeting_previous(held_on=meeting_date)
    if previous is not None:
        for item in AgendaItem.objects.filter(meeting=previous, status=ItemStatus.OPEN).select_related(
            "project", "issue", "meeting"
        ):
            proposed = ProposedItem(Reason.CARRIED_OVER, item.project, item.issue, carried_from=item)
            proposed.add(Reason.CARRIED_OVER, "")  # the page names the meeting it came from
            for code in item.reasons or [item.reason]:
                if code != Reason.CARRIED_OVER:
                    proposed.reasons.append(code)
            if item.reason_text:
                proposed.texts.append(item.reason_text)
            target = issues if item.issue_id else projects if item.project_id else None
            if target is None:
                loose.append(proposed)
            else:
                target[item.issue_id or item.project_id] = proposed
    flagged = project_for_user(user).filter(year=meeting_date.year, light__in=[Light.RED, Light.YELLOW])
    for project in flagged.order_by("light", "name", "pk"):
        reason = Reason.RED if project.light == Light.RED else Reason.YELLOW
        text = "；".join(
            r.get("text", "") if isinstance(r, dict) else str(r) for r in project.light_reasons or ()
        )
        projects.setdefault(project.pk, ProposedItem(reason, project)).add(reason, text)
    horizon = meeting_date + dt.timedelta(days=period_days())
    due = (
        Milestone.objects.filter(
            project__in=project_for_user(user),
            planned_on__gt=meeting_date,
            planned_on__lte=horizon,
            actual_on__isnull=True,
        )
        .select_related("project", "kind")
        .order_by("planned_on", "pk")
    )
    for milestone in due:
        text = f"{milestone.kind.name}计划 {milestone.planned_on:%m月%d日}"
        item = projects.setdefault(
            milestone.project_id, ProposedItem(Reason.MILESTONE_DUE, milestone.project)
        )
        item.add(Reason.MILESTONE_DUE, text)
    for issue in _escalated(user):
        text = f"{issue.department.name}办理，已升级至第 {issue.level} 级督办（到期 {issue.due_on:%m月%d日}）"
        issues.setdefault(issue.pk, ProposedItem(Reason.ESCALATED_ISSUE, issue.project, issue)).add(
            Reason.ESCALATED_ISSUE, text
        )
    items = [*projects.values(), *issues.values()]
    items.sort(key=lambda i: (REASON_ORDER.index(i.reason), _name(i)))
    return items + loose


def _escalated(user):
    from daiban.coordination.selectors import issues_open_escalated

    return (
        issues_open_escalated(user=user).select_related("project", "department").order_by("-level", "due_on")
    )


def _name(item: ProposedItem) -> str:
    if item.issue is not None:
        return f"{item.project.name if item.project else ''} {item.issue.title}"
    return item.project.name if item.project else ""


def meetings_with_project(*, user, project: Project) -> QuerySet[DispatchMeeting]:
    """Meetings whose agenda included the project (for the project's history)."""
    items = AgendaItem.objects.filter(meeting=OuterRef("pk"), project=project)
    return meeting_for_user(user).filter(Exists(items))


def attendee_choices():
    """Who may be invited, leaders first: the district's leaders, dispatch staff, butlers and departments'
    specialists."""
    roles = (Role.LEADER, Role.DISPATCHER, Role.ADMIN, Role.BUTLER, Role.SPECIALIST)
    rank = Case(*(When(role=r, then=Value(i)) for i, r in enumerate(roles)), output_field=IntegerField())
    users = User.objects.filter(is_active=True, role__in=roles).select_related("department")
    return users.order_by(rank, "department__name", "full_name", "username")
