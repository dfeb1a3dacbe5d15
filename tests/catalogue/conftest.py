"""Catalogue fixtures: the seeded rows by code, an admin signed in to the admin site, a pinned "today"."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.approvals.services import common
from daiban.catalogue.models import ApprovalItemRecord

# A Monday; March 2026 has no public holiday, so its working days are its weekdays.
T0 = dt.date(2026, 3, 2)


@pytest.fixture
def today(monkeypatch) -> dt.date:
    monkeypatch.setattr(common, "today", lambda: T0)
    return T0


@pytest.fixture
def admin_web(client, admin_user):
    """An administrator by role (is_staff, not a superuser)."""
    client.force_login(admin_user)
    return client


def record(code: str) -> ApprovalItemRecord:
    return ApprovalItemRecord.objects.get(code=code)
