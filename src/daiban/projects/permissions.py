"""Named rules for projects and enterprises (used by services, pages and list filters alike)."""

from __future__ import annotations

from daiban.accounts.permissions import is_active_user


def can_create_project(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")


def can_edit_project(*, actor, project) -> bool:
    """Admins, dispatchers and the project's own butler."""
    if not is_active_user(actor):
        return False
    return actor.has_role("admin", "dispatcher") or (
        actor.has_role("butler") and project.butler_id == actor.pk
    )


def can_reassign_project(*, actor) -> bool:
    """Changing the butler or the service team is a dispatching decision, not the butler's own."""
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")


def can_delete_project(*, actor, project) -> bool:
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")


def can_record_milestone(*, actor, project) -> bool:
    return can_edit_project(actor=actor, project=project)


def can_edit_enterprise(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin", "dispatcher", "butler")
