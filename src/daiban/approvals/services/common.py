"""What every approval write shares: today's date, who may record, the project lock, bulk audit entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

from daiban.accounts.permissions import is_active_user
from daiban.audit.models import AuditEntry
from daiban.projects.models import Project


def today() -> dt.date:
    """Today in Asia/Shanghai (tests replace this function to pin the date)."""
    return timezone.localdate()


def can_record_case(*, actor, project: Project) -> bool:
    """Admins, dispatchers, the project's butler and the specialists serving it record case progress."""
    if not is_active_user(actor):
        return False
    if actor.has_role("admin", "dispatcher"):
        return True
    if actor.has_role("butler"):
        return project.butler_id == actor.pk
    return actor.has_role("specialist") and project.specialists.filter(pk=actor.pk).exists()


def lock_project(actor, project: Project) -> Project:
    """The project row, locked, in the actor's scope (out of scope raises Project.DoesNotExist)."""
    rows = Project.objects if actor is None else Project.objects.for_user(actor)
    return rows.select_for_update().get(pk=getattr(project, "pk", project))


def audit_entry(actor, action: str, obj, project_id: int, *, note: str, changes: dict) -> AuditEntry:
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "display_name", None) or str(actor)) if actor is not None else "系统",
        action=action,
        model_label=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        project_id=project_id,
        changes=changes,
        note=note,
    )


def update_rows(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of ``rows`` back by primary key: one prepared UPDATE run for every row (executemany).

    Note: QuerySet.bulk_update builds one CASE WHEN expression per field and row; for the tens of thousands of
    rows a tick may change, that costs seconds of Python per thousand rows. A prepared statement executed many
    times is the fast path on SQLite and on PostgreSQL (psycopg pipelines it). Values go through each field’s
    own conversion (dates, JSON), so the stored values are exactly what save() would store.
    """
    if not rows:
        return 0
    quote, meta = connection.ops.quote_name, model._meta
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)
