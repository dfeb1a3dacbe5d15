"""The only writes of dispatch meetings: create with the default agenda, add items, decide, publish, hold.

``actor`` None is the system (CLI without --user, the demo): it may do everything and sees every project.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from daiban.accounts.permissions import require
from daiban.audit.models import AuditAction
from daiban.audit.services import audit_record, create_tracked, update_versioned
from daiban.core.errors import DomainError
from daiban.meetings.models import (
    AgendaItem,
    Decision,
    DecisionKind,
    DispatchMeeting,
    ItemStatus,
    MeetingStatus,
    Reason,
)
from daiban.meetings.permissions import can_manage_meetings
from daiban.meetings.selectors import agenda_default, meeting_previous, period_days, scope_user


def _require_manager(actor) -> None:
    require(actor is None or can_manage_meetings(actor=actor), "只有调度人员和管理员可以安排调度会")


def check_date(day: dt.date | None, label: str) -> None:
    """Meetings and reports are about the district's list years (2000–2100), like projects."""
    if day is not None and not 2000 <= day.year <= 2100:
        raise DomainError(f"{label}应在 2000–2100 年之间：{day}")


def default_meeting_period(held_on: dt.date) -> tuple[dt.date, dt.date]:
    """The ``DISPATCH_PERIOD_DAYS`` days ending the day before the meeting."""
    period_to = held_on - dt.timedelta(days=1)
    return period_to - dt.timedelta(days=period_days() - 1), period_to


@transaction.atomic
def meeting_create(
    *,
    actor,
    held_on: dt.date,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    title: str | None = None,
    location: str = "",
    host: str = "",
    attendees=(),
    attendees_note: str = "",
) -> DispatchMeeting:
    """A draft meeting with its default agenda; the previous meeting's open items are carried over."""
    _require_manager(actor)
    for day, label in ((held_on, "会议日期"), (period_from, "统计起日"), (period_to, "统计止日")):
        check_date(day, label)
    default_from, default_to = default_meeting_period(held_on)
    period_from, period_to = period_from or default_from, period_to or default_to
    if period_from > period_to:
        raise DomainError(f"统计起日（{period_from}）不能晚于止日（{period_to}）")
    if DispatchMeeting.objects.filter(held_on__gt=held_on, status=MeetingStatus.HELD).exists():
        raise DomainError(f"{held_on} 之后已有召开的调度会，不能补建更早的会议")
    # Note: the numbering is serialized by locking the latest meeting row (if any).
    latest = DispatchMeeting.objects.select_for_update().order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    previous = meeting_previous(held_on=held_on)
    meeting = create_tracked(
        DispatchMeeting,
        actor=actor,
        title=title or f"第{number}次重大项目调度会",
        number=number,
        held_on=held_on,
        period_from=period_from,
        period_to=period_to,
        location=location,
        host=host,
        attendees_note=attendees_note,
        attendees=list(attendees),
    )
    proposed = agenda_default(user=actor, meeting_date=held_on, period_to=period_to, previous=previous)
    _store_items(meeting, proposed, actor)
    if previous is not None:
        _mark_carried(previous, actor)
    return meeting


def _store_items(meeting: DispatchMeeting, proposed, actor) -> None:
    """Bulk insert (a district's agenda may list hundreds of projects), one audit entry for the agenda."""
    user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    rows = [
        AgendaItem(
            meeting=meeting,
            project=item.project,
            issue=item.issue,
            reason=item.reason,
            reasons=list(item.reasons),
            reason_text=item.reason_text[:2000],
            order=(number + 1) * 10,
            carried_from=item.carried_from,
            created_by=user,
            updated_by=user,
            created_at=now,
            updated_at=now,
        )
        for number, item in enumerate(proposed)
    ]
    AgendaItem.objects.bulk_create(rows, batch_size=500)
    counts: dict[str, int] = {}
    for item in proposed:
        counts[item.reason] = counts.get(item.reason, 0) + 1
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=meeting,
        changes={"agenda": [None, {Reason(code).label: n for code, n in counts.items()}]},
        note=f"默认议程 {len(rows)} 项",
    )


def _mark_carried(previous: DispatchMeeting, actor) -> None:
    open_items = AgendaItem.objects.filter(meeting=previous, status=ItemStatus.OPEN)
    count = open_items.update(status=ItemStatus.CARRIED, updated_at=timezone.now())
    if count:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=previous,
            changes={"carried": [0, count]},
            note=f"{count} 项未议结议题结转下次会议",
        )


def _meeting_for_update(meeting: DispatchMeeting, *, editable: bool = True) -> DispatchMeeting:
    fresh = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    if editable and fresh.status == MeetingStatus.HELD:
        raise DomainError(f"“{fresh}”已召开，议程和决定不能再修改")
    return fresh


@transaction.atomic
def agenda_item_add(
    *, actor, meeting: DispatchMeeting, project=None, issue=None, reason_text: str = ""
) -> AgendaItem:
    _require_manager(actor)
    meeting = _meeting_for_update(meeting)
    if project is None and issue is None and not reason_text.strip():
        raise DomainError("请选择项目或协调事项，或填写议题内容")
    if issue is not None and project is None:
        project = issue.project
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("order"))["last"] or 0
    return create_tracked(
        AgendaItem,
        actor=actor,
        meeting=meeting,
        project=project,
        issue=issue,
        reason=Reason.ADDED,
        reasons=[Reason.ADDED],
        reason_text=reason_text.strip(),
        order=last + 10,
    )


@dataclass(frozen=True)
class DecisionInput:
    """One decision on an agenda item. ``issue``: department, deadline_days and category are needed;
    ``milestone_commitment``: milestone_code and committed_on."""

    kind: str
    text: str
    department: object | None = None
    deadline_days: int | None = None
    category: str = "other"
    assignee: object | None = None
    milestone_code: str = ""
    committed_on: dt.date | None = None
    due_on: dt.date | None = None


@transaction.atomic
def agenda_item_decide(
    *,
    actor,
    item: AgendaItem,
    expected_version: int | None,
    decisions: list[DecisionInput],
    discussion: str = "",
    today: dt.date | None = None,
) -> AgendaItem:
    """Record what the meeting decided on an item: each decision may raise a coordination issue (source
    "meeting") or commit a milestone date (the project's planned date is updated); the item is decided."""
    _require_manager(actor)
    meeting = _meeting_for_update(item.meeting)
    if not decisions and not discussion.strip():
        raise DomainError("请填写讨论情况或至少一项会议决定")
    for decision in decisions:
        _decision_create(actor, meeting, item, decision, today or meeting.held_on)
    return update_versioned(
        item,
        actor=actor,
        expected_version=expected_version,
        changes={"status": ItemStatus.DECIDED, "discussion": discussion.strip() or item.discussion},
        audit_note="议定",
    )


def _decision_create(actor, meeting, item: AgendaItem, decision: DecisionInput, today: dt.date) -> Decision:
    text = decision.text.strip()
    check_date(decision.committed_on, "承诺日期")
    check_date(decision.due_on, "完成时限")
    if not text:
        raise DomainError("请填写决定内容")
    project = item.project or (item.issue.project if item.issue_id else None)
    fields: dict = {
        "agenda_item": item,
        "kind": decision.kind,
        "text": text,
        "department": decision.department,
    }
    if decision.kind == DecisionKind.ISSUE:
        fields |= _raise_issue(actor, meeting, project, decision, text, today)
    elif decision.kind == DecisionKind.MILESTONE_COMMITMENT:
        fields |= _commit_milestone(actor, project, decision)
    elif decision.kind == DecisionKind.NOTE:
        fields["due_on"] = decision.due_on
    else:
        raise DomainError(f"未知的决定类型：{decision.kind}")
    return create_tracked(Decision, actor=actor, **fields)


def _raise_issue(actor, meeting, project, decision: DecisionInput, text: str, today: dt.date) -> dict:
    from daiban.coordination.services import issue_raise

    if project is None:
        raise DomainError("该议题没有关联项目，不能形成协调事项")
    if decision.department is None or not decision.deadline_days:
        raise DomainError("形成协调事项须指定责任单位和办理时限")
    issue = issue_raise(
        actor=scope_user(actor),  # Note: issue_raise scopes by its actor; the system acts as an unsaved admin
        project=project,
        title=text[:200],
        category=decision.category or "other",
        department=decision.department,
        deadline_days=decision.deadline_days,
        description=text,
        assignee=decision.assignee,
        today=today,
        source="meeting",
        source_note=meeting.title,
    )
    return {"issue": issue, "due_on": issue.due_on}


def _commit_milestone(actor, project, decision: DecisionInput) -> dict:
    from daiban.projects.services import milestone_record

    if project is None:
        raise DomainError("该议题没有关联项目，不能作节点承诺")
    if not decision.milestone_code or decision.committed_on is None:
        raise DomainError("节点承诺须选择节点并填写承诺日期")
    milestone_record(
        actor=actor, project=project, kind_code=decision.milestone_code, planned_on=decision.committed_on
    )
    return {
        "milestone_code": decision.milestone_code,
        "committed_on": decision.committed_on,
        "due_on": decision.committed_on,
    }


@transaction.atomic
def meeting_publish(*, actor, meeting: DispatchMeeting, expected_version: int | None) -> DispatchMeeting:
    """Publish the agenda: attendees and the butlers of the agenda's projects are notified (once)."""
    from daiban.notifications.models import Kind
    from daiban.notifications.services import notify

    _require_manager(actor)
    fresh = _meeting_for_update(meeting)
    if fresh.status != MeetingStatus.DRAFT:
        raise DomainError(f"“{fresh}”的议程已发布")
    fresh = update_versioned(
        fresh,
        actor=actor,
        expected_version=expected_version,
        changes={"status": MeetingStatus.PUBLISHED, "published_at": timezone.now()},
        audit_note="发布议程",
    )
    items = AgendaItem.objects.filter(meeting=fresh)
    recipients = {user.pk: user for user in fresh.attendees.all()}
    from daiban.accounts.models import User

    butlers = User.objects.filter(
        pk__in=items.filter(project__butler__isnull=False).values("project__butler")
    )
    recipients |= {user.pk: user for user in butlers}
    notify(
        recipients=recipients.values(),
        kind=Kind.MEETING_PUBLISHED,
        key=f"meeting:{fresh.pk}:published",
        title=f"{fresh.title}议程已发布",
        body=f"会议日期 {fresh.held_on:%Y-%m-%d}{'，地点 ' + fresh.location if fresh.location else ''}，"
        f"议题 {items.count()} 项。",
        url=f"/meetings/{fresh.pk}/",
    )
    return fresh


@transaction.atomic
def meeting_hold(
    *, actor, meeting: DispatchMeeting, expected_version: int | None, summary: str | None = None
) -> DispatchMeeting:
    """Mark the meeting held and store its report (figures, Word and Excel) as read at the meeting."""
    from daiban.meetings.report.excel import report_xlsx
    from daiban.meetings.report.figures import dispatch_report
    from daiban.meetings.report.serialize import report_as_dict
    from daiban.meetings.report.word import report_docx

    _require_manager(actor)
    fresh = _meeting_for_update(meeting)
    report = dispatch_report(user=scope_user(actor), date_from=fresh.period_from, date_to=fresh.period_to)
    changes = {"status": MeetingStatus.HELD, "held_at": timezone.now()}
    if summary is not None:
        changes["summary"] = summary.strip()
    fresh = update_versioned(
        fresh, actor=actor, expected_version=expected_version, changes=changes, audit_note="会议召开"
    )
    docx, xlsx = io.BytesIO(), io.BytesIO()
    report_docx(report, docx, meeting=fresh)
    report_xlsx(report, xlsx, meeting=fresh)
    # Note: the stored report is not a user's edit: written straight, without a version bump.
    DispatchMeeting.objects.filter(pk=fresh.pk).update(
        report_figures=report_as_dict(report), report_docx=docx.getvalue(), report_xlsx=xlsx.getvalue()
    )
    fresh.refresh_from_db()
    return fresh


@transaction.atomic
def meeting_update(
    *, actor, meeting: DispatchMeeting, expected_version: int | None, **changes
) -> DispatchMeeting:
    """Edit the meeting's details (title, place, host, attendees, minutes)."""
    _require_manager(actor)
    allowed = {"title", "location", "host", "attendees", "attendees_note", "summary"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"不能修改：{', '.join(sorted(unknown))}")
    fresh = _meeting_for_update(meeting, editable=False)
    return update_versioned(fresh, actor=actor, expected_version=expected_version, changes=changes)
