"""The audit trail as the project page shows it: who did what to which row, changes in Chinese field names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

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


@cache
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
    model_label: str, changes: dict, *, limit: int = 4, kind_names: dict[str, str] | None = None
) -> tuple[str, ...]:
    """ "受理日期：空 → 2026-03-02" for each changed field (Chinese field names), at most ``limit``."""
    names = kind_names if kind_names is not None else milestone_names()
    lines = []
    for name, pair in changes.items():
        field = _field(model_label, name)
        label = str(field.verbose_name) if field is not None else name
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        lines.append(f"{label}：{_shown(field, old, names)} → {_shown(field, new, names)}")
    if len(lines) > limit:
        return (*lines[:limit], f"等 {len(lines)} 项")
    return tuple(lines)


def milestone_names() -> dict[str, str]:
    """Milestone kind code → name (disabled kinds too: old entries still name them)."""
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


def audit_line(entry, project: Project, kind_names: dict[str, str]) -> AuditLine:
    creating = entry.action == "create"
    subject = _subject(entry, project)
    changes = () if creating else describe_changes(entry.model_label, entry.changes, kind_names=kind_names)
    return AuditLine(
        at=entry.at,
        actor=entry.actor_name or "系统",
        action="自动更新" if entry.action == "system" else entry.get_action_display(),
        subject=subject,
        note=entry.note,
        changes=changes,
    )


def audit_section(page) -> dict:
    """The project page's trail section (``page``: web.project_page.Page)."""
    project = page.project
    entries = audit_for_project(user=page.user, project=project)[:AUDIT_LIMIT]
    lines = [audit_line(entry, project, page.milestone_names) for entry in entries]
    return {"audit": lines, "audit_limit": AUDIT_LIMIT}
