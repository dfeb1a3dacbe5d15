"""Who may do what to coordination issues: named predicates for services, pages and list filters alike."""

from __future__ import annotations

from daiban.accounts.permissions import is_active_user


def is_staff_user(actor) -> bool:
    """Every role but enterprise (issues are internal to the district)."""
    return is_active_user(actor) and actor.has_role("admin", "leader", "dispatcher", "butler", "specialist")


def can_raise_issue(*, actor, project) -> bool:
    """The project's service team (butler, specialists), dispatchers and admins."""
    if not is_active_user(actor):
        return False
    if actor.has_role("admin", "dispatcher"):
        return True
    if actor.has_role("butler"):
        return project.butler_id == actor.pk
    return actor.has_role("specialist") and project.specialists.filter(pk=actor.pk).exists()


def can_work_issue(*, actor, issue) -> bool:
    """Start or resolve: the responsible person and department, the project's team, dispatchers, admins."""
    if not is_active_user(actor):
        return False
    if actor.has_role("admin", "dispatcher") or issue.assignee_id == actor.pk:
        return True
    if actor.has_role("butler"):
        return issue.project.butler_id == actor.pk
    if actor.has_role("specialist"):
        if actor.department_id and actor.department_id == issue.department_id:
            return True
        return issue.project.specialists.filter(pk=actor.pk).exists()
    return False


def can_close_issue(*, actor, issue) -> bool:
    """Closing (or reopening) is the raiser's call, or a dispatcher's or an admin's."""
    if not is_active_user(actor):
        return False
    return actor.has_role("admin", "dispatcher") or (issue.created_by_id == actor.pk and is_staff_user(actor))


def can_comment_issue(*, actor, issue) -> bool:
    """Anyone on the district's side who sees the issue (a leader's 批示 included)."""
    return is_staff_user(actor)


def can_attach_issue(*, actor, issue) -> bool:
    return can_work_issue(actor=actor, issue=issue) or can_close_issue(actor=actor, issue=issue)
