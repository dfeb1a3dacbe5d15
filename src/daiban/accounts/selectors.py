"""Reads for users and departments."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from daiban.accounts.models import Department, Role, User


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
