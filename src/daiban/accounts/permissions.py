"""Who may do what: named predicates, used for list filters and detail checks alike."""

from __future__ import annotations

from daiban.core.errors import DomainError


class NotPermitted(DomainError):
    """The actor sees the row but may not do this to it (pages map it to 403; rows out of scope are 404)."""


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def is_active_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def can_manage_users(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin")


def can_manage_departments(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin")
