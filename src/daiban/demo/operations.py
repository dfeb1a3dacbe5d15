"""The demo's agency operations, after the projects, cases and lights exist: policies and their matches,
coordination issues (some escalated), two past dispatch meetings, then the daily run's notifications."""

from __future__ import annotations

from datetime import date


def load_operations(*, as_of: date) -> None:
    from daiban.coordination.services import issue_tick
    from daiban.demo import issues, meetings, policies
    from daiban.notifications.services import notifications_tick
    from daiban.policies.services import policy_tick

    policies.load(as_of=as_of)
    issues.load(as_of=as_of)
    issue_tick(today=as_of)
    meetings.load(as_of=as_of)
    policy_tick(today=as_of)
    notifications_tick(today=as_of)


def clear_operations() -> None:
    """Empty the operations' tables before the projects and users they point to go (``--force``)."""
    from daiban.demo import issues, meetings, policies
    from daiban.notifications.models import Notification

    meetings.clear()
    issues.clear()
    policies.clear()
    Notification.objects.all().delete()
