"""``project_list_import``: the 项目清单 workbook → projects, all or nothing.

Steps: read the file (file-level problems raise ImportFileError) → find the header → parse every cell →
plan create / update / unchanged per row (``planning``) → if there is no problem and it is not a dry run,
write everything in one transaction.

Writes: new enterprises and new projects are bulk-created with one audit entry per row (bulk-created too),
then each new project goes through the same case-generation hook as ``project_create``; changed projects go
through ``project_update`` (permission, version check, audit) one by one — an import changes few of them —
and changed enterprise facts (高新技术企业) through ``enterprise_update``. Both re-match the policies
(惠企政策) of their enterprise; the enterprises of the bulk-created projects are re-matched once the import
has committed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from daiban.accounts.permissions import NotPermitted, is_active_user
from daiban.audit.models import AuditAction, AuditEntry, Tracked
from daiban.audit.services import BOOKKEEPING, json_safe
from daiban.core.catalogue import PROJECT_FACTS
from daiban.core.errors import DomainError
from daiban.projects import services
from daiban.projects.excel.bulk import insert_rows
from daiban.projects.excel.planning import NewEnterprise, Plan, Planned, Planner
from daiban.projects.excel.reading import (
    DEFAULT_MAX_BYTES,
    FileInput,
    ImportFileError,
    RowParser,
    check_columns,
    read_bytes,
    read_sheet,
)
from daiban.projects.excel.report import ImportReport
from daiban.projects.models import Enterprise, Project
from daiban.projects.permissions import can_create_project


def can_import_projects(*, actor) -> bool:
    """Admins and dispatchers create and update; a butler may update their own projects."""
    return (
        actor is None
        or can_create_project(actor=actor)
        or (is_active_user(actor) and actor.has_role("butler"))
    )


def project_list_import(
    *, actor, file: FileInput, dry_run: bool = False, max_bytes: int | None = None, filename: str = ""
) -> ImportReport:
    """Validate a 项目清单 workbook and, when every row is valid and not ``dry_run``, write it in one go.

    Raises ImportFileError (a DomainError) when the file as a whole cannot be used; every row-level problem
    is in the returned report instead, and then nothing is written.
    """
    if not can_import_projects(actor=actor):
        raise NotPermitted("您没有导入项目清单的权限")
    limit = max_bytes or getattr(settings, "DAIBAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    sheet = read_sheet(read_bytes(file, max_bytes=limit))
    if not sheet.rows:
        raise ImportFileError(f"工作表“{sheet.sheet}”第 {sheet.header.row + 1} 行表头以下没有项目数据")
    report = ImportReport(dry_run=dry_run, sheet=sheet.sheet)
    check_columns(sheet.header, report)
    if not report.ok:
        return report
    parser = RowParser(sheet.header)
    rows = [parser.parse(number, cells, report) for number, cells in sheet.rows]
    plan = Planner(actor, sheet.header, report).run(rows)
    report.errors.sort(key=lambda problem: problem.row or 0)  # stable: columns stay in file order
    report.new_enterprises = len(plan.new_enterprises)
    if report.ok and not dry_run:
        _apply_or_report(actor, plan, report, note=f"导入{_source_name(file, filename)}")
    return report


def _source_name(file: FileInput, filename: str) -> str:
    """The file's name for the audit note ("导入2026年项目清单.xlsx 第 12 行")."""
    if filename:
        return Path(filename).name
    return Path(file).name if isinstance(file, str | Path) else "项目清单"


def _apply_or_report(actor, plan: Plan, report: ImportReport, note: str) -> None:
    try:
        with transaction.atomic():
            created_for = _apply(actor, plan, note)
    except _RowFailed as failure:
        report.add(failure.row, None, f"保存失败，未写入任何数据：{failure.reason}")
    except IntegrityError:
        report.add(None, None, "保存失败，未写入任何数据：与同时写入的记录冲突（如项目代码重复），请重试")
    except DomainError as error:
        report.add(None, None, f"保存失败，未写入任何数据：{error}")
    else:
        _reevaluate_policies(created_for)


def _reevaluate_policies(enterprise_ids: set[int]) -> None:
    """What ``project_create`` leaves out but new facts need: the policies of their enterprises re-matched.

    Updates went through the services, which re-matched their enterprises already.
    """
    if enterprise_ids:
        from daiban.policies.services import policy_reevaluate  # Note: late import, policies reads projects.

        policy_reevaluate(enterprise_ids=sorted(enterprise_ids))


# ------------------------------------------------------------------------------------------ writing


class _RowFailed(Exception):
    def __init__(self, row: int | None, reason: str) -> None:
        super().__init__(reason)
        self.row, self.reason = row, reason


def _apply(actor, plan: Plan, note: str) -> set[int]:
    """Write the plan; returns the ids of the enterprises of the created projects."""
    for enterprise in plan.restore_enterprises.values():
        services.enterprise_get_or_create(actor=actor, uscc=enterprise.uscc)  # restores the deleted row
    _create_enterprises(actor, list(plan.new_enterprises.values()), note)
    created_for = _create_projects(actor, plan.creates, note)
    for item in plan.updates:
        changes = {key: _instance(value) for key, value in item.fields.items()}
        try:
            services.project_update(
                actor=actor, project=item.project, expected_version=item.project.version, **changes
            )
        except DomainError as error:
            raise _RowFailed(item.row, str(error)) from error
        except ObjectDoesNotExist as error:
            raise _RowFailed(item.row, "该项目刚被删除或已不在您的管理范围内") from error
    for update in plan.enterprise_updates.values():
        enterprise = update.enterprise
        try:
            services.enterprise_update(
                actor=actor,
                enterprise=enterprise,
                # Note: restoring a deleted enterprise above moved its version on; the plan read it before.
                expected_version=None if enterprise.is_deleted else enterprise.version,
                **update.fields,
            )
        except DomainError as error:
            raise _RowFailed(update.row, str(error)) from error
        except ObjectDoesNotExist as error:
            raise _RowFailed(update.row, "该企业刚被删除") from error
    return created_for


def _instance(value: Any) -> Any:
    return value.instance if isinstance(value, NewEnterprise) else value


def _create_enterprises(actor, pending: list[NewEnterprise], note: str) -> None:
    rows = [(item.row, {"uscc": item.uscc, "name": item.name, **item.facts}) for item in pending]
    ids = Creator(actor, note).create(Enterprise, rows)
    instances = Enterprise.all_objects.in_bulk(ids)
    for item, pk in zip(pending, ids, strict=True):
        item.instance = instances[pk]


def _create_projects(actor, creates: list[Planned], note: str) -> set[int]:
    rows = []
    for item in creates:
        if isinstance(item.fields.get("enterprise"), NewEnterprise):
            item.fields["enterprise"] = item.fields["enterprise"].instance
        rows.append((item.row, item.fields))
    ids = Creator(actor, note).create(Project, rows)
    complete = [pk for pk, (_row, fields) in zip(ids, rows, strict=True) if _facts_complete(fields)]
    for project in Project.objects.filter(pk__in=complete).order_by("pk"):
        # Note: the same hook project_create runs, so imported projects get their approval cases too.
        services._generate_cases(project=project, actor=actor)
    return {pk for _row, fields in rows if (pk := getattr(fields.get("enterprise"), "pk", None))}


class Creator:
    """Inserts new rows with who/when set and one audit entry each (what ``create_tracked`` records)."""

    def __init__(self, actor, note: str) -> None:
        self.actor_id = actor.pk if getattr(actor, "pk", None) else None
        self.actor_name = (
            (getattr(actor, "display_name", None) or str(actor)) if actor is not None else "系统"
        )
        self.now, self.note = timezone.now(), note

    def create(self, model: type[Tracked], rows: list[tuple[int, dict[str, Any]]]) -> list[int]:
        """``rows``: (Excel row, field name → value, related rows as instances); returns the new ids."""
        if not rows:
            return []
        fields = [field for field in model._meta.concrete_fields if field.name not in BOOKKEEPING]
        who = {"created_at": self.now, "updated_at": self.now}
        who |= {"created_by_id": self.actor_id, "updated_by_id": self.actor_id}
        ids = insert_rows(model, [who | _by_attname(fields, values) for _row, values in rows])
        defaults = {field.name: [None, json_safe(field.get_default())] for field in fields}
        defaults = {name: change for name, change in defaults.items() if _filled(change[1])}
        entries = [
            self._entry(model, pk, row, values, defaults) for pk, (row, values) in zip(ids, rows, strict=True)
        ]
        insert_rows(AuditEntry, entries)
        return ids

    def _entry(self, model, pk: int, row: int, values: dict[str, Any], defaults: dict[str, list]) -> dict:
        changes = dict(defaults)
        for name, value in values.items():
            safe = value if type(value) in _JSON_NATIVE else json_safe(value)
            if _filled(safe):
                changes[name] = [None, safe]
            else:
                changes.pop(name, None)
        return {
            "at": self.now,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": AuditAction.CREATE,
            "model_label": model._meta.label_lower,
            "object_id": str(pk),
            "object_repr": str(values.get("name", pk))[:300],
            "project_id": pk if model is Project else None,
            "changes": changes,
            "note": f"{self.note} 第 {row} 行"[:300],
        }


_JSON_NATIVE = frozenset({str, bool, int})


def _filled(value: Any) -> bool:
    """What create_tracked audits: every value except None, "", [] and {}."""
    if type(value) in _JSON_NATIVE:
        return value != ""
    return value is not None and value != [] and value != {}


def _by_attname(fields: list, values: dict[str, Any]) -> dict[str, Any]:
    row = {}
    for field in fields:
        if field.name in values:
            value = values[field.name]
            row[field.attname] = getattr(value, "pk", value) if field.is_relation else value
    return row


@cache
def _fact_defaults() -> dict[str, Any]:
    return {name: Project._meta.get_field(name).get_default() for name in PROJECT_FACTS}


def _facts_complete(fields: dict[str, Any]) -> bool:
    """Whether ``project_create`` would tailor cases for these values (checked without loading the row)."""
    defaults = _fact_defaults()
    facts = SimpleNamespace(**(defaults | {key: value for key, value in fields.items() if key in defaults}))
    return not services.project_facts_missing(facts)


__all__ = ["ImportFileError", "ImportReport", "can_import_projects", "project_list_import"]
