"""The only writes of notifications. ``notify`` is what every other app calls to tell someone something;
``notifications_tick`` is the daily run's part: case and milestone events, then the e-mail digests.

Every event has a stable key (``case:17:overdue``, ``milestone:5:2026-10-13``); with the recipient it is
unique in the database, so running anything twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from daiban.notifications import mail
from daiban.notifications.models import MAIL_PENDING, Kind, Notification
from daiban.notifications.selectors import notification_get, project_team

__all__ = [
    "NotificationTickResult",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notifications_tick",
    "notify",
    "notify_many",
    "project_team",
]

CHUNK = 500  # projects per transaction in the tick; also ids per IN (...) list
# Unsent notifications older than this are left to the inbox (e.g. when e-mail has just been turned on).
MAIL_MAX_AGE = dt.timedelta(days=7)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    project=None,
) -> int:
    """Create the notification for each active recipient that does not have ``key`` yet; returns how many
    were created. Idempotent: calling it again with the same key creates nothing."""
    users = {user.pk for user in recipients if user is not None and user.is_active}
    return notify_many(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                key=key[:200],
                title=title[:200],
                body=body,
                url=url,
                project=project,
            )
            for pk in users
        ]
    )


def notify_many(rows: list[Notification]) -> int:
    """Save the (unsaved) notifications whose (recipient, key) does not exist yet; returns how many were new.

    The bulk form of ``notify`` for the daily run's thousands of events: a fixed number of queries.
    """
    keys = sorted({row.key for row in rows})
    done: set[tuple[int, str]] = set()
    for first in range(0, len(keys), CHUNK):
        existing = Notification.objects.filter(key__in=keys[first : first + CHUNK])
        done.update(existing.values_list("recipient_id", "key"))
    # Note: keyed by (recipient, key), so a recipient named twice in one batch gets one row.
    fresh = [row for pair, row in {(r.recipient_id, r.key): r for r in rows}.items() if pair not in done]
    Notification.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)


# ------------------------------------------------------------------------------------------------ the inbox


@transaction.atomic
def notification_mark_read(*, actor, pk: int) -> Notification:
    """Mark one of the actor's own notifications read (again: no change); anyone else's → DoesNotExist."""
    notification = notification_get(user=actor, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    return Notification.objects.for_user(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


# ------------------------------------------------------------------------------------------------ the tick


@dataclass(frozen=True)
class NotificationTickResult:
    cases: int  # notifications created for case warnings / overdue cases
    milestones: int  # notifications created for milestones due soon
    mail: mail.MailResult

    @property
    def created(self) -> int:
        return self.cases + self.milestones

    def __str__(self) -> str:
        return f"消息：新增 {self.created} 条（办件 {self.cases}，节点 {self.milestones}），{self.mail}"


def notifications_tick(*, today: dt.date | None = None, chunk: int = CHUNK) -> NotificationTickResult:
    """The daily notifications: case warning / overdue to the project's butler and the case department's
    specialists, milestones due within ``NOTIFY_MILESTONE_DAYS`` working days to the butler, then one e-mail
    digest per recipient of everything not yet mailed (when SMTP is configured).

    Idempotent (a second run creates and sends nothing); a fixed number of queries per ``chunk`` projects,
    none per case. Reads the case states the approvals tick stored, so it runs after it.
    """
    from daiban.catalogue.selectors import work_calendar
    from daiban.projects.models import Project

    day = today or timezone.localdate()
    horizon = work_calendar().add_workdays(day, settings.NOTIFY_MILESTONE_DAYS)
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    cases = milestones = 0
    for first in range(0, len(ids), chunk):
        with transaction.atomic():
            events = _Events.for_projects(ids[first : first + chunk], day=day, horizon=horizon)
            cases += notify_many(events.cases)
            milestones += notify_many(events.milestones)
    return NotificationTickResult(cases=cases, milestones=milestones, mail=deliver_mail())


class _Events:
    """The notifications one chunk of projects calls for, as unsaved rows (existing ones included)."""

    def __init__(self, projects: dict[int, dict], specialists: dict[int, list[tuple[int, int | None]]]):
        self.projects = projects
        self.specialists = specialists
        self.cases: list[Notification] = []
        self.milestones: list[Notification] = []

    @classmethod
    def for_projects(cls, part: list[int], *, day: dt.date, horizon: dt.date) -> _Events:
        from daiban.projects.models import Milestone, Project

        rows = Project.objects.filter(pk__in=part).values("pk", "name", "butler_id", "butler__is_active")
        projects = {row["pk"]: row for row in rows}
        specialists: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        team = Project.specialists.through.objects.filter(project_id__in=part, user__is_active=True)
        for project_id, user_id, department_id in team.order_by("user_id").values_list(
            "project_id", "user_id", "user__department_id"
        ):
            specialists[project_id].append((user_id, department_id))
        events = cls(projects, specialists)
        for case in _open_cases(part):
            events.add_case(case)
        milestones = Milestone.objects.filter(
            project_id__in=part, actual_on__isnull=True, planned_on__gte=day, planned_on__lte=horizon
        ).values("pk", "project_id", "planned_on", "kind__name")
        for milestone in milestones.order_by("pk"):
            events.add_milestone(milestone)
        return events

    def butler(self, project: dict) -> list[int]:
        return [project["butler_id"]] if project["butler_id"] and project["butler__is_active"] else []

    def add_case(self, case: dict) -> None:
        project = self.projects[case["project_id"]]
        team = self.specialists.get(case["project_id"], [])
        # The specialists of the case's department move it; without one, every specialist of the project.
        own = [user for user, department in team if department and department == case["department_id"]]
        recipients = self.butler(project) + (own or [user for user, _ in team])
        overdue = case["sla_state"] == "overdue"
        kind = Kind.CASE_OVERDUE if overdue else Kind.CASE_WARNING
        word = "办件逾期" if overdue else "办件预警"
        self.cases += _rows(
            recipients,
            kind=kind,
            key=f"case:{case['pk']}:{case['sla_state']}",
            title=f"{word}：{case['name']}（{project['name']}）",
            body=_case_body(case, overdue=overdue),
            project_id=project["pk"],
        )

    def add_milestone(self, milestone: dict) -> None:
        project = self.projects[milestone["project_id"]]
        planned = milestone["planned_on"].isoformat()
        self.milestones += _rows(
            self.butler(project),
            kind=Kind.MILESTONE_DUE,
            key=f"milestone:{milestone['pk']}:{planned}",
            title=f"节点即将到期：{milestone['kind__name']}（{project['name']}）",
            body=f"{milestone['kind__name']}计划于 {planned} 完成，尚未记录实际日期。",
            project_id=project["pk"],
        )


def _open_cases(part: list[int]):
    from daiban.approvals.models import ApprovalCase, SlaState

    return (
        ApprovalCase.objects.filter(
            project_id__in=part,
            sla_state__in=[SlaState.WARNING, SlaState.OVERDUE],
            decided_on__isnull=True,
        )
        .order_by("pk")
        .values(
            "pk",
            "project_id",
            "name",
            "sla_state",
            "department_id",
            "department_name",
            "due_on",
            "overdue_days",
            "promised_days",
            "promised_unit",
            "statutory_unit",
        )
    )


def _case_body(case: dict, *, overdue: bool) -> str:
    unit = case["promised_unit"] if case["promised_days"] is not None else case["statutory_unit"]
    label = "个工作日" if unit == "working_days" else "天"
    department = f"审批部门：{case['department_name']}；" if case["department_name"] else ""
    due = case["due_on"].isoformat() if case["due_on"] else "—"
    if overdue:
        return f"{department}到期日 {due}，已逾期 {max(case['overdue_days'], 1)} {label}。"
    return f"{department}到期日 {due}，即将到期。"


def _rows(recipients: list[int], *, kind: str, key: str, title: str, body: str, project_id: int) -> list:
    return [
        Notification(
            recipient_id=user_id,
            kind=kind,
            key=key,
            title=title[:200],
            body=body,
            url=f"/projects/{project_id}/",
            project_id=project_id,
        )
        for user_id in dict.fromkeys(recipients)
    ]


# ------------------------------------------------------------------------------------------------ e-mail


def deliver_mail() -> mail.MailResult:
    """Send each recipient one digest of their notifications not yet mailed; record the outcome per row.

    Off unless SMTP is configured (DAIBAN_SMTP_HOST). A refused message is stored as ``email_error`` on its
    rows and the run goes on; if the server cannot be reached at all, every pending row records why.
    Failed rows are not retried (the inbox still has them): a bad address must not be mailed every day.
    """
    if not settings.DAIBAN_EMAIL_ENABLED:
        return mail.MailResult(enabled=False)
    now = timezone.now()
    pending = (
        Notification.objects.filter(
            MAIL_PENDING, created_at__gte=now - MAIL_MAX_AGE, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "-created_at", "-id")
    )
    digests = mail.digests(pending)
    sent = failed = 0
    with mail.Outbox() as outbox:
        for digest in digests:
            error = outbox.send(digest.message())
            if error:
                failed += 1
                _mark(digest.ids, email_error=error[:300])
            else:
                sent += 1
                _mark(digest.ids, emailed_at=timezone.now())
    return mail.MailResult(enabled=True, sent=sent, failed=failed)


def _mark(ids: list[int], **fields) -> None:
    # Note: written right after each message, so a run that dies half-way never mails anyone twice.
    for first in range(0, len(ids), CHUNK):
        Notification.objects.filter(pk__in=ids[first : first + CHUNK]).update(**fields)
