"""The daily escalation (督办): every open issue is moved to the level today implies, in bulk.

Idempotent: a second run on the same day finds every issue at its level and every notification already sent
(stable keys, unique per recipient), so it writes nothing. A fixed number of queries per chunk of issues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from daiban.approvals.services.common import audit_entry, update_rows
from daiban.audit.models import AuditAction, AuditEntry
from daiban.catalogue.selectors import work_calendar
from daiban.coordination.models import ACTIVE_STATUSES, CoordinationIssue, IssueHolding
from daiban.coordination.selectors import LadderLevel, escalation_ladder, ladder_rungs, warning_days
from daiban.coordination.services.holders import Directory, IssueRef
from daiban.core import supervision
from daiban.core.errors import DomainError
from daiban.notifications.models import Kind, Notification
from daiban.notifications.services import notify_many

_FIELDS = (
    "id",
    "project_id",
    "title",
    "raised_on",
    "due_on",
    "level",
    "level_due_on",
    "department_id",
    "assignee_id",
    "project__butler_id",
)


@dataclass(frozen=True)
class IssueTickResult:
    evaluated: int  # open and in-progress issues read
    escalated: int  # issues moved up at least one level
    overdue: int  # open issues past their base due date
    notified: int  # notifications created

    def __str__(self) -> str:
        return f"协调事项：评估 {self.evaluated} 个，新升级 {self.escalated} 个，逾期 {self.overdue} 个"


def issue_tick(*, today: dt.date | None = None, chunk: int = 1000) -> IssueTickResult:
    day = today or timezone.localdate()
    ladder, calendar, directory = escalation_ladder(), work_calendar(), Directory.load()
    context = _Context(day, ladder, ladder_rungs(ladder), calendar, directory, warning_days())
    ids = list(
        CoordinationIssue.objects.filter(status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    totals = [0, 0, 0]
    for first in range(0, len(ids), chunk):
        with transaction.atomic():
            counts = _tick_chunk(ids[first : first + chunk], context)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    return IssueTickResult(len(ids), *totals)


@dataclass(frozen=True)
class _Context:
    day: dt.date
    ladder: tuple[LadderLevel, ...]
    rungs: tuple[supervision.Rung, ...]
    calendar: object
    directory: Directory
    warning_days: int


def _tick_chunk(ids: list[int], ctx: _Context) -> tuple[int, int, int]:
    rows = (
        CoordinationIssue.objects.filter(pk__in=ids, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .values(*_FIELDS)
    )
    out, overdue = _Writes(), 0
    for row in rows:
        ref = IssueRef(
            row["id"],
            row["project_id"],
            row["title"],
            row["department_id"],
            row["assignee_id"],
            row["project__butler_id"],
        )
        try:
            reading = supervision.read_from_due(
                raised_on=row["raised_on"],
                due_on=row["due_on"],
                rungs=ctx.rungs,
                calendar=ctx.calendar,
                today=ctx.day,
                warning_days=ctx.warning_days,
                base_name=ctx.ladder[0].name,
            )
        except DomainError:
            continue  # a date outside the calendar's range: leave the issue as it is
        out.messages.extend(_clock_messages(ref, row, reading, ctx))
        overdue += reading.overdue
        if reading.level > row["level"]:
            _escalate(ref, row["level"], reading, ctx, out)
    _end_holdings(out.ended)
    IssueHolding.objects.bulk_create(out.holdings)
    update_rows(CoordinationIssue, out.issues, ["level", "level_due_on"])
    AuditEntry.objects.bulk_create(out.entries)
    return len(out.issues), overdue, _send(out.messages)


@dataclass
class _Writes:
    issues: list = field(default_factory=list)
    holdings: list = field(default_factory=list)
    ended: list = field(default_factory=list)  # (issue id, level, ended on) of holdings already stored
    entries: list = field(default_factory=list)
    messages: list = field(default_factory=list)


def _escalate(ref: IssueRef, stored: int, reading: supervision.Reading, ctx: _Context, out: _Writes) -> None:
    """Hand the issue up from level ``stored`` to ``reading.level``, one holding per level passed.

    Note: a tick that was not run for a while passes several levels at once; each keeps its own dates, so the
    history reads as if the tick had run every day. Only the level reached is notified.
    """
    spans = reading.spans
    out.ended.append((ref.pk, stored, spans[stored].due_on))
    for level in range(stored + 1, reading.level + 1):
        rung = ctx.ladder[level]
        holding = ctx.directory.holding(rung, ref)
        out.holdings.append(
            IssueHolding(
                issue_id=ref.pk,
                level=level,
                level_name=rung.name,
                holder_label=holding.label[:200],
                holder=holding.user,
                started_on=spans[level].starts_on,
                due_on=spans[level].due_on,
                ended_on=spans[level].due_on if level < reading.level else None,
                reason=f"{spans[level - 1].name}逾期未办结，升级督办",
            )
        )
    top = ctx.ladder[reading.level]
    recipients = {user.pk: user for user in ctx.directory.holding(top, ref).recipients}
    if ref.butler_id in ctx.directory.users:
        recipients.setdefault(ref.butler_id, ctx.directory.users[ref.butler_id])
    out.messages.append(
        _message(
            recipients.values(),
            Kind.ISSUE_ESCALATED,
            f"issue:{ref.pk}:escalated:{reading.level}",
            ref,
            f"督办升级（{top.name}）：{ref.title}",
            f"协调事项已逾期 {reading.overdue_days} 个工作日，升级至{top.name}督办，"
            f"本级须于 {reading.level_due_on:%Y年%m月%d日} 前办结。",
        )
    )
    issue = CoordinationIssue(
        pk=ref.pk, title=ref.title, level=reading.level, level_due_on=reading.level_due_on
    )
    out.issues.append(issue)
    change = {"level": [stored, reading.level], "level_due_on": [None, reading.level_due_on.isoformat()]}
    out.entries.append(
        audit_entry(None, AuditAction.SYSTEM, issue, ref.project_id, note="督办升级", changes=change)
    )


def _clock_messages(ref: IssueRef, row: dict, reading: supervision.Reading, ctx: _Context) -> list:
    """Due soon (yellow) and overdue messages to the responsible person (and, once overdue, the butler)."""
    base = ctx.directory.holding(ctx.ladder[0], ref).recipients
    due = row["due_on"]
    if reading.light == "yellow":
        return [
            _message(
                base,
                Kind.ISSUE_DUE,
                f"issue:{ref.pk}:due:{due.isoformat()}",
                ref,
                f"协调事项即将到期：{ref.title}",
                f"请于 {due:%Y年%m月%d日} 前办结（剩余 {reading.days_left} 个工作日）。",
            )
        ]
    if reading.light == "red":
        butler = ctx.directory.users.get(ref.butler_id)
        people = [*base, *([butler] if butler else [])]
        return [
            _message(
                people,
                Kind.ISSUE_OVERDUE,
                f"issue:{ref.pk}:overdue:{due.isoformat()}",
                ref,
                f"协调事项逾期：{ref.title}",
                f"已于 {due:%Y年%m月%d日} 到期，尚未办结。",
            )
        ]
    return []


def _message(recipients, kind: str, key: str, ref: IssueRef, title: str, body: str) -> tuple:
    return (
        tuple({u.pk for u in recipients}),
        kind,
        key,
        title[:200],
        body,
        f"/issues/{ref.pk}/",
        ref.project_id,
    )


def _send(messages: list[tuple]) -> int:
    """Create the notifications not sent yet (in bulk: notifications.services.notify_many)."""
    return notify_many(
        [
            Notification(
                recipient_id=pk, kind=kind, key=key, title=title, body=body, url=url, project_id=project_id
            )
            for recipients, kind, key, title, body, url, project_id in messages
            for pk in recipients
        ]
    )


def _end_holdings(ended: list[tuple[int, int, dt.date]]) -> None:
    """Close the previous level's holding of each escalated issue (it ended on that level's due date)."""
    if not ended:
        return
    wanted = {(issue_id, level): day for issue_id, level, day in ended}
    rows = IssueHolding.objects.filter(
        issue_id__in={issue_id for issue_id, _, _ in ended}, ended_on__isnull=True
    ).only("id", "issue_id", "level", "started_on")
    dirty = []
    for holding in rows:
        day = wanted.get((holding.issue_id, holding.level))
        if day is not None:
            holding.ended_on = max(day, holding.started_on)
            dirty.append(holding)
    update_rows(IssueHolding, dirty, ["ended_on"])
