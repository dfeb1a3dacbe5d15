"""Reads for users and departments."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from daiban.accounts.models import Department, Role, User


def system_user() -> User:
    """An unsaved user who sees every project: the scope in which the system acts (CLI without --user, the
    demo, the daily run). Never saved; the writes it makes name it as 系统 in the audit trail."""
    return User(username="系统", full_name="系统", role=Role.ADMIN, is_active=True)


def department_list() -> QuerySet[Department]:
    return Department.objects.all()


def department_match(*, name: str) -> Department | None:
    """The live department whose full or short name is ``name`` (trimmed), or None."""
    name = (name or "").strip()
    if not name:
        return None
    return Department.objects.filter(Q(name=name) | Q(short_name=name)).order_by("pk").first()


def user_list_by_role(*, role: str) -> QuerySet[User]:
    return User.objects.filter(role=role, is_active=True).select_related("department", "enterprise")


def butler_choices() -> QuerySet[User]:
    return user_list_by_role(role=Role.BUTLER)


def specialist_choices() -> QuerySet[User]:
    return user_list_by_role(role=Role.SPECIALIST)
