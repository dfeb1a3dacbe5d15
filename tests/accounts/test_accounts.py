"""Users, roles and departments."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from daiban.accounts.models import Department, User
from daiban.accounts.permissions import NotPermitted
from daiban.accounts.selectors import department_match
from daiban.accounts.services import (
    department_create,
    department_delete,
    department_get_or_create,
    department_restore,
    department_update,
    user_create,
    user_update,
)
from daiban.audit.models import AuditEntry
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_custom_user_model():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert User._meta.get_field("role").verbose_name == "角色"


def test_enterprise_user_needs_an_enterprise(user_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        user_factory(username="orphan", role="enterprise")


def test_display_name_and_roles(user_factory):
    user = user_factory(username="wang", full_name="", first_name="", role="butler")
    assert user.display_name == "wang"
    assert user.has_role("butler") and not user.has_role("admin")
    user.is_active = False
    assert not user.has_role("butler")


def test_admin_creates_and_updates_users(admin_user, department, enterprise):
    user = user_create(
        actor=admin_user,
        username=" chen ",
        password="a-long-password",
        role="specialist",
        full_name="陈专员",
        department=department,
    )
    assert user.username == "chen" and user.check_password("a-long-password")
    user_update(actor=admin_user, user=user, role="butler", department=None)
    user.refresh_from_db()
    assert user.role == "butler" and user.department is None
    entry = AuditEntry.objects.filter(model_label="accounts.user", action="update").get()
    assert entry.changes == {"role": ["specialist", "butler"], "department": ["规自", None]}
    with pytest.raises(DomainError, match="企业用户必须指定所属企业"):
        user_update(actor=admin_user, user=user, role="enterprise")


def test_only_admins_manage_users(dispatcher, butler):
    with pytest.raises(NotPermitted):
        user_create(actor=dispatcher, username="x", role="butler")
    with pytest.raises(NotPermitted):
        user_update(actor=dispatcher, user=butler, role="admin")
    with pytest.raises(DomainError, match="未知角色"):
        user_create(actor=None, username="y", role="king")
    with pytest.raises(DomainError, match="可修改的字段"):
        user_create(actor=None, username="z", is_superuser=True)


def test_departments(admin_user, dispatcher):
    department = department_create(
        actor=admin_user, name="区住房和城乡建设委员会", short_name="住建", kind="approval"
    )
    assert department_match(name=" 住建 ") == department
    assert department_get_or_create(actor=admin_user, name="区住房和城乡建设委员会") == (department, False)
    with pytest.raises(NotPermitted):
        department_update(actor=dispatcher, department=department, expected_version=1, phone="1")
    department_update(actor=admin_user, department=department, expected_version=1, phone="010-1")
    with pytest.raises(ConcurrentEditError, match="管理员"):
        department_update(actor=admin_user, department=department, expected_version=1, phone="010-2")
    department_delete(actor=admin_user, department=department)
    assert department_match(name="住建") is None
    department_restore(actor=admin_user, department=department)
    assert Department.objects.filter(pk=department.pk).exists()
    with pytest.raises(DomainError, match="名称"):
        department_create(actor=admin_user, name="区住房和城乡建设委员会")
