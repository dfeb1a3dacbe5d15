"""Writes for enterprises, projects and milestones: permission, transaction, version, audit.

``actor=None`` means the system (CLI set-up, demo data, the daily tick): permitted, audited as 系统.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from daiban.accounts.permissions import NotPermitted, require
from daiban.audit.models import AuditAction
from daiban.audit.services import audit_record, create_tracked, restore, soft_delete, update_versioned
from daiban.core.catalogue import PROJECT_FACTS
from daiban.core.errors import DomainError
from daiban.core.ids import validate_project_code, validate_uscc
from daiban.projects.models import Enterprise, Milestone, MilestoneKind, Project
from daiban.projects.permissions import (
    can_create_project,
    can_delete_project,
    can_edit_enterprise,
    can_edit_project,
    can_reassign_project,
    can_record_milestone,
)
from daiban.projects.reference import read_milestone_kinds

# Written by the system only (milestones, the daily tick), never through project_update.
SYSTEM_FIELDS = frozenset({"current_milestone", "light", "light_reasons", "light_updated_at"})
TEAM_FIELDS = frozenset({"butler", "butler_id", "specialists"})

# ------------------------------------------------------------------------------------------ handbook facts


def project_facts(project: Project) -> dict[str, Any]:
    """The project's facts for core.handbook.tailor, keyed exactly like core.catalogue.PROJECT_FACTS.

    An empty choice is None, so the core reports it as missing by its Chinese label.
    """
    facts = {}
    for name in PROJECT_FACTS:
        value = getattr(project, name)
        facts[name] = None if value == "" else value
    return facts


def project_facts_missing(project: Project) -> list[str]:
    """Chinese labels of the required facts still empty (no handbook can be tailored until they are set)."""
    facts = project_facts(project)
    return [field.label for name, field in PROJECT_FACTS.items() if field.required and facts[name] is None]


def _generate_cases(*, project: Project, actor) -> None:
    """Hook: tailor the handbook into approval cases once the facts are complete.

    Note: approvals.services.cases_generate is written by the approvals work; until it exists nothing happens.
    It is called only for a project without cases, so recorded progress is never regenerated from here.
    """
    if project_facts_missing(project) or project.cases.exists():
        return
    if importlib.util.find_spec("daiban.approvals.services") is None:
        return
    cases_generate = getattr(importlib.import_module("daiban.approvals.services"), "cases_generate", None)
    if cases_generate is not None:
        cases_generate(project=project, actor=actor)


def _reevaluate_policies(enterprise_id: int) -> None:
    """A changed fact re-evaluates the enterprise's policy matches (惠企政策) now, not at the next tick."""
    from daiban.policies.services import policy_reevaluate  # Note: late import, policies reads projects.

    policy_reevaluate(enterprise_ids=[enterprise_id])


# ------------------------------------------------------------------------------------------ enterprises


@transaction.atomic
def enterprise_get_or_create(*, actor, uscc: str, name: str = "", **defaults: Any) -> tuple[Enterprise, bool]:
    """The enterprise with this USCC (restored if it was deleted), else a new one; USCC validated first."""
    require(actor is None or can_edit_enterprise(actor=actor), "您没有维护企业信息的权限")
    code = validate_uscc(uscc)
    existing = Enterprise.all_objects.filter(uscc=code).first()
    if existing is not None:
        if existing.is_deleted:
            existing = restore(existing, actor=actor, audit_note="按统一社会信用代码重新启用")
        return existing, False
    if not name.strip():
        raise DomainError(f"新建企业需要企业名称（统一社会信用代码 {code}）")
    return create_tracked(Enterprise, actor=actor, uscc=code, name=name.strip(), **defaults), True


def enterprise_create(*, actor, uscc: str, name: str, **fields: Any) -> Enterprise:
    """Get-or-create by USCC: an enterprise already known by its code is returned unchanged."""
    return enterprise_get_or_create(actor=actor, uscc=uscc, name=name, **fields)[0]


@transaction.atomic
def enterprise_update(
    *, actor, enterprise: Enterprise, expected_version: int | None, **changes: Any
) -> Enterprise:
    require(actor is None or can_edit_enterprise(actor=actor), "您没有维护企业信息的权限")
    if actor is not None:
        enterprise = Enterprise.objects.for_user(actor).get(pk=enterprise.pk)
    if "uscc" in changes:
        changes["uscc"] = validate_uscc(changes["uscc"])
    enterprise = update_versioned(enterprise, actor=actor, expected_version=expected_version, changes=changes)
    _reevaluate_policies(enterprise.pk)
    return enterprise


# ------------------------------------------------------------------------------------------ projects


@transaction.atomic
def project_create(*, actor, **fields: Any) -> Project:
    """Create a project (admins, dispatchers), then tailor its approval cases when its facts are complete."""
    require(actor is None or can_create_project(actor=actor), "您没有新建项目的权限")
    _normalize(fields)
    if not fields.get("name"):
        raise DomainError("项目名称不能为空")
    _refuse_system_fields(fields)
    project = create_tracked(Project, actor=actor, **fields)
    _generate_cases(project=project, actor=actor)
    return project


@transaction.atomic
def project_update(*, actor, project: Project, expected_version: int | None, **changes: Any) -> Project:
    """Change a project's fields; a stale ``expected_version`` raises ConcurrentEditError, nothing written."""
    project = _in_scope(actor, project)
    require(
        actor is None or can_edit_project(actor=actor, project=project), f"您没有修改项目“{project}”的权限"
    )
    if actor is not None and TEAM_FIELDS & changes.keys():
        require(can_reassign_project(actor=actor), "只有管理员或调度可以调整项目管家和服务专员")
    _normalize(changes)
    _refuse_system_fields(changes)
    project = update_versioned(project, actor=actor, expected_version=expected_version, changes=changes)
    _still_in_scope(actor, project)
    if set(PROJECT_FACTS) & changes.keys():
        _generate_cases(project=project, actor=actor)
    if project.enterprise_id:
        _reevaluate_policies(project.enterprise_id)
    return project


@transaction.atomic
def project_delete(*, actor, project: Project, expected_version: int | None = None) -> Project:
    project = _in_scope(actor, project)
    require(
        actor is None or can_delete_project(actor=actor, project=project), f"您没有删除项目“{project}”的权限"
    )
    return soft_delete(project, actor=actor, expected_version=expected_version)


@transaction.atomic
def project_restore(*, actor, project: Project) -> Project:
    project = _in_scope(actor, project, include_deleted=True)
    require(
        actor is None or can_delete_project(actor=actor, project=project), f"您没有恢复项目“{project}”的权限"
    )
    return restore(project, actor=actor)


@transaction.atomic
def project_set_light(*, project: Project, light: str, reasons: list, actor=None) -> None:
    """Store the daily tick's traffic light. Derived data: no version bump (open forms stay valid);
    audited only when the colour changes."""
    previous = Project.all_objects.filter(pk=project.pk).values_list("light", flat=True).get()
    Project.all_objects.filter(pk=project.pk).update(
        light=light, light_reasons=reasons, light_updated_at=timezone.now()
    )
    if previous != light:
        audit_record(
            actor=actor,
            action=AuditAction.SYSTEM,
            obj=project,
            changes={"light": [previous, light]},
            note="红绿灯",
        )


def _normalize(fields: dict[str, Any]) -> None:
    if fields.get("name") is not None:
        fields["name"] = fields["name"].strip()
    if fields.get("project_code"):
        fields["project_code"] = validate_project_code(fields["project_code"])
    for name in ("total_investment", "annual_plan", "building_area_m2"):
        if isinstance(fields.get(name), int | float | str) and fields[name] != "":
            fields[name] = Decimal(str(fields[name]))


def _refuse_system_fields(fields: dict[str, Any]) -> None:
    forbidden = SYSTEM_FIELDS & fields.keys()
    if forbidden:
        raise DomainError(f"字段 {'、'.join(sorted(forbidden))} 由系统维护，不能直接修改")


def _in_scope(actor, project: Project, *, include_deleted: bool = False) -> Project:
    """The project re-read inside the transaction; out of the actor's scope raises Project.DoesNotExist."""
    manager = Project.all_objects if include_deleted else Project.objects
    rows = manager.all() if actor is None else manager.for_user(actor)
    return rows.get(pk=project.pk)


def _still_in_scope(actor, project: Project) -> None:
    if actor is not None and not Project.objects.for_user(actor).filter(pk=project.pk).exists():
        raise NotPermitted(f"修改后项目“{project}”将不在您的管理范围内，已取消")


# ------------------------------------------------------------------------------------------ milestones


@transaction.atomic
def milestone_kinds_sync(*, actor=None, path=None) -> int:
    """Add the milestone kinds of reference/milestones.yaml that are missing; returns how many were added.

    Note: existing kinds are left as an admin configured them (names, order, enabled).
    """
    added = 0
    for kind in read_milestone_kinds(path):
        _, created = MilestoneKind.objects.get_or_create(
            code=kind["code"], defaults={"name": kind["name"], "order": kind["order"]}
        )
        added += created
    return added


@transaction.atomic
def milestone_record(
    *,
    actor,
    project: Project,
    kind_code: str,
    actual_on: dt.date | None = None,
    planned_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Milestone:
    """Record a milestone's planned and/or actual date (None leaves a date as it is).

    Milestones are reached in order: an actual date needs every earlier milestone's actual date, and may be
    neither before the previous one nor after the next recorded one. The project's current milestone follows.
    """
    # Note: the project row is locked so two people recording milestones of one project are serialized.
    rows = Project.objects if actor is None else Project.objects.for_user(actor)
    project = rows.select_for_update().get(pk=project.pk)
    require(
        actor is None or can_record_milestone(actor=actor, project=project),
        f"您没有记录项目“{project}”节点的权限",
    )
    kinds = list(MilestoneKind.objects.filter(is_active=True).order_by("order", "id"))
    kind = next((kind for kind in kinds if kind.code == kind_code), None)
    if kind is None:
        raise DomainError(f"未知的节点：{kind_code}")
    if actual_on is not None:
        _check_milestone_order(project, kinds, kind, actual_on)
    changes = {name: value for name, value in (("actual_on", actual_on), ("planned_on", planned_on)) if value}
    milestone = Milestone.all_objects.filter(project=project, kind=kind).first()
    if milestone is None:
        milestone = create_tracked(Milestone, actor=actor, project=project, kind=kind, **changes)
    else:
        if milestone.is_deleted:
            milestone = restore(milestone, actor=actor)
            expected_version = None
        milestone = update_versioned(
            milestone, actor=actor, expected_version=expected_version, changes=changes
        )
    _follow_current_milestone(project, kinds, actor)
    return milestone


def _check_milestone_order(
    project: Project, kinds: list[MilestoneKind], kind: MilestoneKind, actual_on
) -> None:
    if actual_on > timezone.localdate():
        raise DomainError(f"{kind.name} 的实际日期 {actual_on} 晚于今天")
    reached = dict(Milestone.objects.filter(project=project).values_list("kind_id", "actual_on"))
    position = kinds.index(kind)
    for earlier in kinds[:position]:
        if reached.get(earlier.pk) is None:
            raise DomainError(f"请先记录 {earlier.name} 的实际日期，再记录 {kind.name}")
    if position > 0:
        previous = kinds[position - 1]
        if actual_on < reached[previous.pk]:
            raise DomainError(
                f"{kind.name} 的实际日期（{actual_on}）"
                f"不能早于 {previous.name} 的实际日期（{reached[previous.pk]}）"
            )
    following = kinds[position + 1] if position + 1 < len(kinds) else None
    if following is not None and reached.get(following.pk) and actual_on > reached[following.pk]:
        raise DomainError(
            f"{kind.name} 的实际日期（{actual_on}）"
            f"不能晚于 {following.name} 的实际日期（{reached[following.pk]}）"
        )


def _follow_current_milestone(project: Project, kinds: list[MilestoneKind], actor) -> None:
    reached = set(
        Milestone.objects.filter(project=project, actual_on__isnull=False).values_list("kind_id", flat=True)
    )
    current = next((kind.code for kind in reversed(kinds) if kind.pk in reached), "")
    if project.current_milestone != current:
        # Note: expected_version=None — the project follows its milestones, this is not a user's edit.
        update_versioned(
            project,
            actor=actor,
            expected_version=None,
            changes={"current_milestone": current},
            audit_note="节点推进",
        )
