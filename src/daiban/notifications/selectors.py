"""Reads of notifications: a user only ever sees their own (Notification.objects.for_user)."""

from __future__ import annotations

from django.db.models import QuerySet

from daiban.notifications.models import Kind, Notification


def notifications_for_user(user) -> QuerySet[Notification]:
    """The one scope: the user's own notifications, newest first."""
    return Notification.objects.for_user(user).order_by("-created_at", "-id")


def notification_list(*, user, unread: bool = False, kind: str = "") -> QuerySet[Notification]:
    """The inbox: optionally only unread ones, optionally of one kind (an unknown kind matches nothing)."""
    rows = notifications_for_user(user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind) if kind in Kind.values else rows.none()
    return rows


def notification_get(*, user, pk: int) -> Notification:
    """One of the user's own notifications; anyone else's is Notification.DoesNotExist (→ 404)."""
    return notifications_for_user(user).get(pk=pk)


def unread_count(user) -> int:
    """One COUNT on the (recipient, read_at) index: cheap enough for every page's header."""
    return Notification.objects.for_user(user).filter(read_at__isnull=True).count()


def project_team(project) -> list:
    """The project's service team (服务团队): its butler, then its specialists; active users, once each."""
    team = [project.butler] if project.butler_id else []
    team += list(project.specialists.filter(is_active=True).order_by("pk"))
    seen: set[int] = set()
    return [user for user in team if user.is_active and not (user.pk in seen or seen.add(user.pk))]
