"""Who may change the catalogue, the calendar and the light rule set: administrators only."""

from __future__ import annotations

from daiban.accounts.permissions import is_active_user


def can_manage_catalogue(*, actor) -> bool:
    """Administrators (role admin, or a superuser) edit the catalogue, the calendar and the rule set."""
    return is_active_user(actor) and actor.has_role("admin")
