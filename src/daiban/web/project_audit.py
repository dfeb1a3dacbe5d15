"""The audit trail as the project page shows it: who did what to which row, changes in Chinese field names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from daiban.audit.selectors import audit_for_project
from daiban.projects.models import MilestoneKind, Project

AUDIT_LIMIT = 30


@dataclass(frozen=True)
class AuditLine:
    at: dt.datetime
    actor: str
    action: str
    subject: str
    note: str
    changes: tuple[str, ...]


def _field(model_label: str, name: str):
    try:
        return apps.get_model(model_label)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist, ValueError):
        return None


def _shown(field, value, names: dict[str, str]) -> str:
    if value in (None, "", [], {}):
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | dict):
        return "、".join(str(item) for item in value) if isinstance(value, list) else str(value)
    if field is not None and field.name == "current_milestone":
        return names.get(value, str(value))
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def describe_changes(
    model_label: str, changes: dict, *, limit: int = 4, milestone_names: dict[str, str] | None = None
) -> tuple[str, ...]:
    """ "受理日期：空 → 2026-03-02" for each changed field (Chinese field names), at most ``limit``."""
    names = milestone_names if milestone_names is not None else _milestone_names()
    lines = []
    for name, pair in changes.items():
        field = _field(model_label, name)
        label = str(field.verbose_name) if field is not None else name
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        lines.append(f"{label}：{_shown(field, old, names)} → {_shown(field, new, names)}")
    if len(lines) > limit:
        return (*lines[:limit], f"等 {len(lines)} 项")
    return tuple(lines)


def _milestone_names() -> dict[str, str]:
    return dict(MilestoneKind.objects.values_list("code", "name"))


def _subject(entry, project: Project) -> str:
    """What an entry changed, as the project's page names it: "项目信息", "月度投资：2026年5月"."""
    if entry.model_label == "projects.project":
        return "项目信息"
    # Note: rows of a project are named after it ("<project> · <row>", "<project> 2026年5月"): drop the name.
    name = entry.object_repr.removeprefix(f"{project.name} · ").removeprefix(f"{project.name} ")
    try:
        kind = apps.get_model(entry.model_label)._meta.verbose_name
    except (LookupError, ValueError):
        return name
    return f"{kind}：{name}"


def audit_line(entry, project: Project, milestone_names: dict[str, str]) -> AuditLine:
    creating = entry.action == "create"
    subject = _subject(entry, project)
    changes = (
        ()
        if creating
        else describe_changes(entry.model_label, entry.changes, milestone_names=milestone_names)
    )
    return AuditLine(
        at=entry.at,
        actor=entry.actor_name or "系统",
        action="自动更新" if entry.action == "system" else entry.get_action_display(),
        subject=subject,
        note=entry.note,
        changes=changes,
    )


def audit_section(user, project: Project, today: dt.date) -> dict:
    entries = audit_for_project(user=user, project=project)[:AUDIT_LIMIT]
    names = _milestone_names()
    return {"audit": [audit_line(entry, project, names) for entry in entries], "audit_limit": AUDIT_LIMIT}
