"""Writes for users and departments."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from daiban.accounts.models import Department, Role, User
from daiban.accounts.permissions import can_manage_departments, can_manage_users, require
from daiban.audit.models import AuditAction
from daiban.audit.services import (
    audit_record,
    create_tracked,
    restore,
    soft_delete,
    update_versioned,
    validate_or_raise,
)
from daiban.core.errors import DomainError

_USER_FIELDS = frozenset(
    {"full_name", "phone", "role", "department", "enterprise", "email", "is_active", "is_staff", "first_name"}
)


@transaction.atomic
def user_create(*, actor, username: str, password: str | None = None, role: str = "", **fields: Any) -> User:
    """Create a user (admins only; ``actor=None`` for set-up scripts and demo data)."""
    if actor is not None:
        require(can_manage_users(actor=actor), "只有管理员可以新建用户")
    _check_user_fields(fields)
    if role and role not in Role.values:
        raise DomainError(f"未知角色：{role}")
    user = User(username=username.strip(), role=role, **fields)
    if role == Role.ADMIN:
        user.is_staff = True
    user.set_password(password) if password else user.set_unusable_password()
    validate_or_raise(user)
    user.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=user, changes={"role": [None, role]})
    return user


@transaction.atomic
def user_update(*, actor, user: User, **changes: Any) -> User:
    """Change a user's profile or role; audited field by field (users carry no version)."""
    require(can_manage_users(actor=actor), "只有管理员可以修改用户")
    _check_user_fields(changes)
    user = User.objects.select_for_update().get(pk=user.pk)
    diff = {}
    for name, value in changes.items():
        old = getattr(user, name)
        if old != value:
            diff[name] = [old, value]
            setattr(user, name, value)
    if diff:
        validate_or_raise(user)
        user.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=diff)
    return user


def _check_user_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - _USER_FIELDS
    if unknown:
        raise DomainError(f"用户没有可修改的字段：{'、'.join(sorted(unknown))}")


def department_create(*, actor, name: str, **fields: Any) -> Department:
    if actor is not None:
        require(can_manage_departments(actor=actor), "只有管理员可以新建部门")
    return create_tracked(Department, actor=actor, name=name.strip(), **fields)


def department_update(
    *, actor, department: Department, expected_version: int | None, **changes: Any
) -> Department:
    require(can_manage_departments(actor=actor), "只有管理员可以修改部门")
    return update_versioned(department, actor=actor, expected_version=expected_version, changes=changes)


def department_delete(*, actor, department: Department, expected_version: int | None = None) -> Department:
    require(can_manage_departments(actor=actor), "只有管理员可以删除部门")
    return soft_delete(department, actor=actor, expected_version=expected_version)


def department_restore(*, actor, department: Department) -> Department:
    require(can_manage_departments(actor=actor), "只有管理员可以恢复部门")
    return restore(department, actor=actor)


@transaction.atomic
def department_get_or_create(*, actor, name: str, **defaults: Any) -> tuple[Department, bool]:
    """Find a department by its full or short name (e.g. when importing a catalogue), else create it."""
    from daiban.accounts.selectors import department_match

    found = department_match(name=name)
    if found is not None:
        return found, False
    return department_create(actor=actor, name=name, **defaults), True
