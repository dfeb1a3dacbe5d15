"""The default demo (217 projects) loaded into the database: its headline numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from daiban.accounts.models import User
from daiban.approvals.models import ApprovalCase
from daiban.demo import demo_load
from daiban.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_default_demo_has_its_headline_numbers_and_keeps_the_init_admin(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser(username="admin", password="own-secret-1", role="admin")  # `daiban init`
    result = demo_load()
    assert (result.projects, result.new_starts, result.continuing) == (217, 78, 139)
    assert Project.objects.filter(year=2026, category="new_start").count() == 78
    assert Project.objects.filter(year=2026, category="continuing").count() == 139
    total = sum(Project.objects.values_list("total_investment", flat=True))
    assert abs(total - Decimal(50_000_000)) < 50_000  # 5000亿
    assert result.target == Decimal(10_000_000)  # 1000亿
    states = set(ApprovalCase.objects.values_list("sla_state", flat=True))
    assert states == {"not_started", "normal", "warning", "overdue", "suspended", "done_on_time", "done_late"}
    assert [login.role for login in result.logins] == [
        "leader",
        "dispatcher",
        "butler",
        "specialist",
        "enterprise",
    ]
    assert User.objects.get(username="admin").check_password("own-secret-1")
