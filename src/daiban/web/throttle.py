"""Sign-in throttling: after N failures for one username from one address within a window, refuse for it.

Note: counted per username *and* address, so an attacker cannot lock a colleague out from elsewhere, and
stored in the database (not a per-process cache) so all gunicorn workers count the same failures.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from daiban.web.models import LoginFailure


def client_address(request: HttpRequest) -> str | None:
    # Note: REMOTE_ADDR only; X-Forwarded-For is trivially forged unless a known proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _normalize(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _recent(username: str, address: str | None):
    return LoginFailure.objects.filter(
        username=_normalize(username), address=address, at__gte=timezone.now() - _window()
    )


def login_blocked_until(*, username: str, address: str | None) -> dt.datetime | None:
    """When sign-in will be accepted again for this username+address, or None if it is not blocked."""
    failures = list(
        _recent(username, address)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(failures) < settings.LOGIN_FAILURE_LIMIT:
        return None
    # Accepted again once the oldest of the last N failures has left the window.
    return failures[-1] + _window()


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=_normalize(username), address=address)
    # Keep the table small: failures older than the window no longer count.
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * _window()).delete()


def login_failures_clear(*, username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=_normalize(username), address=address).delete()
