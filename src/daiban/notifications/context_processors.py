"""The header's unread count: one COUNT on the (recipient, read_at) index per page."""

from __future__ import annotations


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from daiban.notifications.selectors import unread_count

    return {"inbox_unread": unread_count(user)}
