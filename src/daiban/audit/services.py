"""Writes shared by every service: create, versioned update, soft delete, restore — each with its audit entry.

Every function here runs in a transaction and re-reads the row with ``select_for_update`` before changing it,
then changes it with ``UPDATE … WHERE version = expected``: correct under real concurrency on PostgreSQL (row
lock) and on SQLite (the settings open write transactions with BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from daiban.audit.models import AuditAction, AuditEntry, Tracked
from daiban.core.errors import DomainError

T = TypeVar("T", bound=Tracked)

# Bookkeeping columns of Tracked: never audited as changes, never set through ``changes``.
BOOKKEEPING = frozenset(
    {"id", "version", "created_at", "created_by", "updated_at", "updated_by", "deleted_at", "deleted_by"}
)


class ConcurrentEditError(DomainError):
    """The row changed since the user read it; nothing was written."""

    def __init__(self, current: Tracked) -> None:
        self.current_version = current.version
        self.changed_by = _actor_name(current.updated_by)
        self.changed_at = current.updated_at
        when = (
            timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
            if current.updated_at
            else "刚才"
        )
        super().__init__(f"该记录已被 {self.changed_by} 于 {when} 修改，请刷新后重试")


def json_safe(value: Any) -> Any:
    """A value as it goes into the audit JSON: Decimal and dates as strings, related rows by their name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, Iterable):
        return [json_safe(item) for item in value]
    return str(value)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    project=None,
    note: str = "",
) -> AuditEntry:
    """Write one audit entry; ``project`` defaults to the project the row belongs to (if any)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor) if actor is not None else "系统",
        action=action,
        model_label=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        project_id=getattr(project, "pk", project) if project is not None else project_id_of(obj),
        changes=json_safe(dict(changes or {})),
        note=note[:300],
    )


def project_id_of(obj: models.Model) -> int | None:
    """The project a row belongs to, for the per-project trail: itself, ``.project`` or ``.case.project``."""
    if obj._meta.label_lower == "projects.project":
        return obj.pk
    if getattr(obj, "project_id", None):
        return obj.project_id
    case = getattr(obj, "case", None)
    return getattr(case, "project_id", None)


@transaction.atomic
def create_tracked(model: type[T], *, actor, audit_note: str = "", validate: bool = True, **fields: Any) -> T:
    """Create a row with who/when set, validated, and audited as ``create`` with every non-empty value."""
    concrete, many = _split_fields(model, fields)
    now = timezone.now()
    obj = model(**concrete, created_by=_user_or_none(actor), updated_by=_user_or_none(actor))
    obj.created_at = obj.updated_at = now
    if validate:
        validate_or_raise(obj)
    _save_or_raise(obj)
    for name, values in many.items():
        getattr(obj, name).set(values)
    changes = {
        name: [None, value] for name, value in _snapshot(obj).items() if value not in (None, "", [], {})
    }
    changes.update({name: [None, _many_snapshot(obj, name)] for name in many})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes, note=audit_note)
    return obj


@transaction.atomic
def update_versioned(
    obj: T, *, actor, expected_version: int | None, changes: Mapping[str, Any], audit_note: str = ""
) -> T:
    """Apply ``changes`` if the row is still at ``expected_version``; bump the version and audit old→new.

    A stale version raises ConcurrentEditError naming who changed the row and when; nothing is written.
    ``expected_version=None`` skips the check (system jobs such as the daily tick). Returns the fresh row.
    """
    fresh = _lock(obj, expected_version)
    if fresh.is_deleted:
        raise DomainError(f"“{fresh}”已被删除，不能修改")
    concrete, many = _split_fields(type(fresh), changes)
    before = _snapshot(fresh)
    for name, value in concrete.items():
        setattr(fresh, name, value)
    diff = {name: [before[name], new] for name, new in _snapshot(fresh).items() if new != before[name]}
    many_diff = _apply_many(fresh, many)
    if not diff and not many_diff:
        return fresh
    if diff:
        validate_or_raise(fresh)
    # Note: a many-to-many change alone still bumps the version: the row as a person sees it changed.
    _write_version(fresh, actor, [fresh._meta.get_field(name).attname for name in diff])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changes=diff | many_diff, note=audit_note)
    return fresh


@transaction.atomic
def soft_delete(obj: T, *, actor, expected_version: int | None = None, audit_note: str = "") -> T:
    """Hide the row from the default manager; it stays in ``all_objects`` and can be restored."""
    fresh = _lock(obj, expected_version)
    if fresh.is_deleted:
        raise DomainError(f"“{fresh}”已被删除")
    fresh.deleted_at, fresh.deleted_by = timezone.now(), _user_or_none(actor)
    _write_version(fresh, actor, ["deleted_at", "deleted_by_id"])
    audit_record(actor=actor, action=AuditAction.DELETE, obj=fresh, note=audit_note)
    return fresh


@transaction.atomic
def restore(obj: T, *, actor, expected_version: int | None = None, audit_note: str = "") -> T:
    """Bring a soft-deleted row back."""
    fresh = _lock(obj, expected_version)
    if not fresh.is_deleted:
        raise DomainError(f"“{fresh}”未被删除，无需恢复")
    fresh.deleted_at = fresh.deleted_by = None
    _write_version(fresh, actor, ["deleted_at", "deleted_by_id"])
    audit_record(actor=actor, action=AuditAction.RESTORE, obj=fresh, note=audit_note)
    return fresh


def validate_or_raise(obj: models.Model) -> None:
    """Run the model's validation (fields, uniqueness, constraints); raise DomainError in Chinese."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError(describe_validation_error(obj, error)) from error


def describe_validation_error(obj: models.Model, error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    parts = []
    for name, errors in error.error_dict.items():
        messages = "；".join(message for item in errors for message in item.messages)
        if name == "__all__":
            parts.append(messages)
        else:
            parts.append(f"{obj._meta.get_field(name).verbose_name}：{messages}")
    return "；".join(parts)


def _lock(obj: T, expected_version: int | None) -> T:
    # Note: no select_related here: under READ COMMITTED, PostgreSQL re-reads only the locked row after a
    # concurrent update, so a joined updated_by would be the stale one.
    fresh = type(obj).all_objects.select_for_update(of=("self",)).get(pk=obj.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise ConcurrentEditError(fresh)
    return fresh


def _write_version(fresh: Tracked, actor, attnames: list[str]) -> None:
    """UPDATE … WHERE version = the locked version: a second line of defence besides the row lock."""
    fresh.updated_at, fresh.updated_by = timezone.now(), _user_or_none(actor)
    values = {attname: getattr(fresh, attname) for attname in attnames}
    values |= {"updated_at": fresh.updated_at, "updated_by": fresh.updated_by, "version": F("version") + 1}
    rows = type(fresh).all_objects.filter(pk=fresh.pk, version=fresh.version)
    try:
        with transaction.atomic():
            updated = rows.update(**values)
    except IntegrityError as error:
        raise DomainError(f"保存“{fresh}”失败：与已有记录（含已删除的记录）冲突") from error
    if updated != 1:
        raise ConcurrentEditError(type(fresh).all_objects.select_related("updated_by").get(pk=fresh.pk))
    fresh.version += 1


def _save_or_raise(obj: models.Model) -> None:
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError as error:
        raise DomainError(f"保存“{obj}”失败：与已有记录（含已删除的记录）冲突") from error


def _split_fields(model: type[models.Model], fields: Mapping[str, Any]) -> tuple[dict, dict]:
    """Separate plain/FK fields from many-to-many ones; refuse unknown and bookkeeping names."""
    concrete, many = {}, {}
    for name, value in fields.items():
        try:
            field = model._meta.get_field(name)
        except Exception as error:
            raise DomainError(f"{model._meta.verbose_name}没有字段“{name}”") from error
        if field.name in BOOKKEEPING or field.auto_created:
            raise DomainError(f"{model._meta.verbose_name}的字段“{name}”不能直接修改")
        (many if field.many_to_many else concrete)[name] = value
    return concrete, many


def _snapshot(obj: models.Model) -> dict[str, Any]:
    """JSON-safe values of the audited concrete fields (relations by the related row's name)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in BOOKKEEPING:
            continue
        values[field.name] = json_safe(
            getattr(obj, field.name) if field.is_relation else field.value_from_object(obj)
        )
    return values


def _many_snapshot(obj: models.Model, name: str) -> list[str]:
    return sorted(str(item) for item in getattr(obj, name).all())


def _apply_many(obj: models.Model, many: Mapping[str, Any]) -> dict[str, list]:
    diff = {}
    for name, values in many.items():
        manager = getattr(obj, name)
        old_ids = set(manager.values_list("pk", flat=True))
        new_ids = {getattr(value, "pk", value) for value in values}
        if old_ids != new_ids:
            before = _many_snapshot(obj, name)
            manager.set(new_ids)
            diff[name] = [before, _many_snapshot(obj, name)]
    return diff


def _user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _actor_name(actor) -> str:
    if actor is None:
        return "系统"
    return getattr(actor, "display_name", None) or str(actor)
