"""Reading the audit trail, scoped like the projects it belongs to."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from daiban.audit.models import AuditEntry


def audit_for_project(*, user, project) -> QuerySet[AuditEntry]:
    """The project's trail, newest first. A project outside the user's scope raises Project.DoesNotExist.

    Note: enterprise users get an empty trail: it names internal staff and internal steps.
    """
    from daiban.projects.selectors import project_in_scope

    project = project_in_scope(user=user, project=project, include_deleted=True)
    if user.has_role("enterprise"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(project=project)  # actor_name is stored on the entry


def audit_for_object(*, user, obj) -> QuerySet[AuditEntry]:
    """The trail of one row (admins see any row; others only rows of projects in scope)."""
    entries = AuditEntry.objects.filter(model_label=obj._meta.label_lower, object_id=str(obj.pk))
    if user.has_role("admin"):
        return entries.select_related("actor")
    from daiban.projects.models import Project

    visible = Project.all_objects.for_user(user).values("pk")
    if user.has_role("enterprise"):
        return AuditEntry.objects.none()
    return entries.filter(project__in=visible).select_related("actor")


def audit_latest_id(*model_labels: str) -> int:
    """The newest entry's id (of rows of ``model_labels``, when given): it moves with every recorded change
    (the daily run included), so it keys what is cached from the data. An index lookup per label.

    Note: a MAX per label (index ``audit_label_id``): one MAX over an IN list would read every entry.
    """
    entries = AuditEntry.objects
    if not model_labels:
        return entries.aggregate(latest=Max("id"))["latest"] or 0
    latest = (
        entries.filter(model_label=label).aggregate(latest=Max("id"))["latest"] for label in model_labels
    )
    return max((value or 0 for value in latest), default=0)
