"""Named rules for policies and their payout (used by services, pages and the API alike)."""

from __future__ import annotations

from daiban.accounts.permissions import is_active_user


def can_view_policies(*, actor) -> bool:
    """Policies themselves are public to every signed-in user with a role (matches are scoped)."""
    return is_active_user(actor) and bool(actor.role or actor.is_superuser)


def can_edit_policy(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")


def can_record_application(*, actor) -> bool:
    """申报 is recorded by district staff or the butler who files it with the enterprise."""
    return is_active_user(actor) and actor.has_role("admin", "dispatcher", "butler")


def can_record_payout(*, actor) -> bool:
    """审核 and 拨付 are the district's decisions."""
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")
