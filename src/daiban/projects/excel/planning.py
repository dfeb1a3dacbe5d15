"""Planning an import: each parsed row → create, update or unchanged, with every problem reported.

Names are resolved (enterprises, butlers, departments) and existing projects matched — by 项目代码, else by
项目名称 + 项目单位 — against data loaded in bulk by ``resolve``; nothing is written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from daiban.projects.excel.cells import CellError, clean_lines, clean_text
from daiban.projects.excel.columns import COLUMNS_BY_KEY, IGNORED, USER, HeaderMap
from daiban.projects.excel.reading import ParsedRow
from daiban.projects.excel.report import ImportReport, RowOutcome
from daiban.projects.excel.resolve import Known, People, name_key
from daiban.projects.models import Enterprise, Project
from daiban.projects.permissions import (
    can_create_project,
    can_edit_enterprise,
    can_edit_project,
    can_reassign_project,
)

ENTERPRISE_KEYS = ("enterprise_name", "enterprise_uscc")  # which enterprise the row names
# Facts of the row's enterprise (column key → Enterprise field): a blank cell leaves the enterprise as it is.
ENTERPRISE_FACTS = {"enterprise_high_tech": "high_tech"}


@dataclass
class NewEnterprise:
    uscc: str
    name: str
    row: int
    instance: Enterprise | None = None  # set once created
    facts: dict[str, Any] = field(default_factory=dict)  # Enterprise field → value the file gives


@dataclass
class Planned:
    row: int
    project: Project | None  # None: create
    fields: dict[str, Any]  # create: the fields given; update: only those that change


@dataclass
class Plan:
    creates: list[Planned] = field(default_factory=list)
    updates: list[Planned] = field(default_factory=list)
    new_enterprises: dict[str, NewEnterprise] = field(default_factory=dict)  # by USCC
    restore_enterprises: dict[str, Enterprise] = field(default_factory=dict)
    enterprise_updates: dict[int, EnterpriseUpdate] = field(default_factory=dict)  # by enterprise id


@dataclass
class EnterpriseUpdate:
    row: int  # the first row that changes it
    enterprise: Enterprise
    fields: dict[str, Any]  # Enterprise field → new value


class Planner:
    """Turns parsed rows into a Plan, adding every problem it finds to the report."""

    def __init__(self, actor, header: HeaderMap, report: ImportReport) -> None:
        self.actor, self.header, self.report = actor, header, report
        self.plan = Plan()
        self.new_by_name: dict[str, NewEnterprise] = {}
        self.seen: dict[tuple, int] = {}  # identity of a project in the file → first row
        self.facts_seen: dict[tuple, tuple[int, Any]] = {}  # (enterprise identity, key) → (first row, value)
        self.current_enterprises: dict[int, Enterprise] | None = None  # loaded when a row needs them

    def run(self, rows: list[ParsedRow]) -> Plan:
        self.people = People.load()
        self.known = Known.load(
            actor=self.actor,
            usccs=_values(rows, "enterprise_uscc"),
            enterprise_names=_values(rows, "enterprise_name"),
            projects=[
                (row.values.get("project_code") or "", row.values["name"])
                for row in rows
                if "name" in row.values
            ],
        )
        self._collect_new_enterprises(rows)
        for row in rows:
            self._plan_row(row)
        return self.plan

    def _problem(self, row: int, key: str | None, message: str) -> None:
        self.report.add(row, self.header.titles.get(key) if key else None, message)

    def _plan_row(self, row: ParsedRow) -> None:
        before = len(self.report.errors)
        enterprise = self._enterprise(row)
        self._resolve_people(row)
        if len(self.report.errors) > before or row.failed & {"name", "project_code"}:
            return  # without a sure name, code and enterprise, matching would only add noise
        project = self._match(row, enterprise)
        if len(self.report.errors) > before or row.failed:
            return  # reported; the counts are of the valid rows
        facts = self._enterprise_facts(row, enterprise, project)
        if len(self.report.errors) > before:
            return
        fields = self._fields(row, enterprise, project)
        if project is None:
            self._plan_create(row, fields)
        else:
            self._plan_update(row, project, fields, facts)

    # -- enterprises

    def _collect_new_enterprises(self, rows: list[ParsedRow]) -> None:
        """Enterprises the file introduces (USCC + name, not yet known): any row may name them."""
        for row in rows:
            uscc, name = row.values.get("enterprise_uscc"), row.values.get("enterprise_name")
            if not uscc or uscc in self.known.enterprises_by_uscc:
                continue
            pending = self.plan.new_enterprises.get(uscc)
            if pending is None and name:
                pending = self.plan.new_enterprises[uscc] = NewEnterprise(uscc, name, row.row)
                self.new_by_name.setdefault(name_key(name), pending)
            elif pending is not None and name and name_key(name) != name_key(pending.name):
                self._problem(
                    row.row, "enterprise_name", f"与第 {pending.row} 行统一社会信用代码相同，但单位名称不同"
                )

    def _enterprise(self, row: ParsedRow) -> Enterprise | NewEnterprise | _Keep | None:
        if not any(key in self.header.positions for key in ENTERPRISE_KEYS):
            return KEEP
        if row.failed & set(ENTERPRISE_KEYS):
            return None  # already reported; guessing the enterprise would only add noise
        uscc, name = row.values.get("enterprise_uscc"), row.values.get("enterprise_name")
        if uscc:
            return self._enterprise_by_uscc(row, uscc)
        if not name:
            return None
        found = self.known.enterprises_by_name.get(name_key(name)) or []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            self._problem(
                row.row,
                "enterprise_name",
                f"系统中有 {len(found)} 家名为“{name}”的企业，请填写统一社会信用代码",
            )
        elif name_key(name) in self.new_by_name:
            return self.new_by_name[name_key(name)]
        else:
            self._problem(row.row, "enterprise_name", f"“{name}”尚未登记，请填写统一社会信用代码")
        return None

    def _enterprise_by_uscc(self, row: ParsedRow, uscc: str) -> Enterprise | NewEnterprise | None:
        existing = self.known.enterprises_by_uscc.get(uscc)
        if existing is not None:
            if existing.is_deleted:
                self.plan.restore_enterprises[uscc] = existing
            return existing
        pending = self.plan.new_enterprises.get(uscc)
        if pending is None:
            key = "enterprise_name" if "enterprise_name" in self.header.positions else "enterprise_uscc"
            self._problem(row.row, key, "企业尚未登记，新企业须填写项目单位名称")
        elif self.actor is not None and not can_edit_enterprise(actor=self.actor):
            self._problem(row.row, "enterprise_uscc", "企业尚未登记，您没有新建企业的权限")
        return pending

    def _enterprise_facts(self, row: ParsedRow, enterprise, project: Project | None) -> list[str]:
        """Plan the enterprise facts the row gives (高新技术企业); the keys that change the enterprise.

        Several rows may name one enterprise: they must agree. Without enterprise columns in the file the
        project's current enterprise is meant.
        """
        given = {key: row.values[key] for key in ENTERPRISE_FACTS if row.values.get(key) is not None}
        if not given:
            return []
        if enterprise is KEEP:
            enterprise = self._current_enterprise(project)
        if enterprise is None:
            for key, value in given.items():
                if value:  # "否" on a row without an enterprise says nothing wrong
                    self._problem(row.row, key, "没有项目单位，不能填写企业信息")
            return []
        identity = _enterprise_key(enterprise)
        changed = []
        for key, value in given.items():
            first = self.facts_seen.setdefault((identity, key), (row.row, value))
            if first[1] != value:
                self._problem(row.row, key, f"与第 {first[0]} 行同一企业的填写不一致")
                continue
            name = ENTERPRISE_FACTS[key]
            if isinstance(enterprise, NewEnterprise):
                enterprise.facts[name] = value
            elif getattr(enterprise, name) != value and first[0] == row.row:
                changed.append(key)
        if changed and self.actor is not None and not can_edit_enterprise(actor=self.actor):
            self._problem(row.row, changed[0], "您没有维护企业信息的权限")
            return []
        if changed:
            update = EnterpriseUpdate(
                row.row, enterprise, {ENTERPRISE_FACTS[key]: given[key] for key in changed}
            )
            self.plan.enterprise_updates[enterprise.pk] = update
        return changed

    def _current_enterprise(self, project: Project | None) -> Enterprise | None:
        if project is None or project.enterprise_id is None:
            return None
        if self.current_enterprises is None:
            # Note: one query for every project the file matched, the first time a row needs one.
            ids = {found.enterprise_id for found in self.known.projects_by_code.values()}
            ids |= {found.enterprise_id for rows in self.known.projects_by_name.values() for found in rows}
            self.current_enterprises = Enterprise.all_objects.in_bulk(ids - {None})
        return self.current_enterprises.get(project.enterprise_id)

    # -- people

    def _resolve_people(self, row: ParsedRow) -> None:
        for key in ("butler", "responsible_department"):
            text = row.values.get(key)
            if not text:
                continue
            lookup = self.people.butler if COLUMNS_BY_KEY[key].kind == USER else self.people.department
            try:
                row.values[key] = lookup(text)
            except CellError as error:
                row.values.pop(key)
                self._problem(row.row, key, str(error))

    # -- matching

    def _match(self, row: ParsedRow, enterprise) -> Project | None:
        code, name = row.values.get("project_code"), row.values["name"]
        project = self.known.projects_by_code.get(code) if code else None
        if project is not None and project.is_deleted:
            self._problem(row.row, "project_code", f"与已删除的项目“{project.name}”相同，请先恢复该项目")
            return None
        if project is None:
            project = self._match_by_name(row, name, code, enterprise)
        if project is not None and not self.known.may_see(project):
            self._problem(row.row, "project_code" if code else "name", "对应的项目不在您的管理范围内")
            return None
        self._check_duplicate(row, project, code, name, enterprise)
        return project

    def _match_by_name(self, row: ParsedRow, name: str, code: str | None, enterprise) -> Project | None:
        """A project (or row) without a code is known by its name and enterprise."""
        if isinstance(enterprise, NewEnterprise):
            return None
        candidates = [
            project
            for project in self.known.projects_by_name.get(name_key(name), [])
            if (enterprise is KEEP or project.enterprise_id == getattr(enterprise, "pk", None))
            and (not code or not project.project_code)
        ]
        if len(candidates) > 1:
            self._problem(row.row, "name", f"系统中有 {len(candidates)} 个同名项目，请填写项目代码")
            return None
        return candidates[0] if candidates else None

    def _check_duplicate(self, row: ParsedRow, project, code, name, enterprise) -> None:
        identities: list[tuple] = [
            ("code", code) if code else ("name", name_key(name), _enterprise_key(enterprise))
        ]
        if project is not None:
            identities.append(("project", project.pk))
        for identity in identities:
            first = self.seen.get(identity)
            if first is not None:
                key, why = (
                    ("project_code", "项目代码相同") if identity[0] == "code" else ("name", "同一个项目")
                )
                self._problem(row.row, key, f"与第 {first} 行重复（{why}）")
                return
        for identity in identities:
            self.seen[identity] = row.row

    # -- fields, create, update

    def _fields(self, row: ParsedRow, enterprise, project: Project | None) -> dict[str, Any]:
        """The model fields this row sets. An empty cell clears a field that may be empty; one that may not
        (year, types, yes/no, amounts) keeps its value — or gets the model default for a new project."""
        fields: dict[str, Any] = {}
        for key in self.header.positions:
            if COLUMNS_BY_KEY[key].kind == IGNORED or key in ENTERPRISE_KEYS or key in ENTERPRISE_FACTS:
                continue
            value = row.values.get(key)
            if value is None:
                model_field = Project._meta.get_field(key)
                if project is None or key == "project_code" or not model_field.blank:
                    continue
                value = None if model_field.null else ""
            fields[key] = value
        if enterprise is not KEEP:
            fields["enterprise"] = enterprise
        return fields

    def _plan_create(self, row: ParsedRow, fields: dict[str, Any]) -> None:
        if self.actor is not None and not can_create_project(actor=self.actor):
            self._problem(row.row, "name", "系统中没有这个项目，您没有新建项目的权限")
            return
        self.plan.creates.append(Planned(row.row, None, fields))
        self.report.created += 1
        self.report.rows.append(RowOutcome(row.row, fields["name"], "create"))

    def _plan_update(
        self, row: ParsedRow, project: Project, fields: dict[str, Any], facts: list[str]
    ) -> None:
        changes = {key: value for key, value in fields.items() if not _same(project, key, value)}
        if not changes and facts:  # only the enterprise changes (planned already)
            self.report.updated += 1
            self.report.rows.append(
                RowOutcome(row.row, project.name, "update", tuple(map(self._title, facts)))
            )
            return
        if not changes:
            self.report.unchanged += 1
            self.report.rows.append(RowOutcome(row.row, project.name, "unchanged"))
            return
        if self.actor is not None and not can_edit_project(actor=self.actor, project=project):
            self._problem(row.row, "name", f"您没有修改项目“{project.name}”的权限")
            return
        if self.actor is not None and "butler" in changes and not can_reassign_project(actor=self.actor):
            self._problem(row.row, "butler", "只有管理员或调度可以调整项目管家")
            return
        self.plan.updates.append(Planned(row.row, project, changes))
        self.report.updated += 1
        titles = tuple(self._title(key) for key in (*changes, *facts))
        self.report.rows.append(RowOutcome(row.row, project.name, "update", titles))

    def _title(self, key: str) -> str:
        if key == "enterprise":
            return self.header.titles.get("enterprise_name") or self.header.titles["enterprise_uscc"]
        return self.header.titles[key]


class _Keep:
    """The file says nothing about this field: leave it as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def _values(rows: Iterable[ParsedRow], key: str) -> set[str]:
    return {row.values[key] for row in rows if row.values.get(key)}


def _enterprise_key(enterprise) -> object:
    if isinstance(enterprise, NewEnterprise):
        return ("new", enterprise.uscc)
    return ("id", getattr(enterprise, "pk", None)) if enterprise is not KEEP else ("keep",)


def _same(project: Project, key: str, value: Any) -> bool:
    """Whether the stored value already equals the row's (text compared as the import cleans it)."""
    if isinstance(value, NewEnterprise):
        return False
    attname, clean = _COMPARE[key]
    current = getattr(project, attname)
    if attname != key:  # a relation: compare ids
        return current == getattr(value, "pk", None)
    if current == value:
        return True
    return isinstance(value, str) and isinstance(current, str) and clean(current) == value


_MULTILINE = {column.key for column in COLUMNS_BY_KEY.values() if column.multiline}
# field → (attribute to read, how stored text is cleaned before comparing)
_COMPARE = {
    field.name: (field.attname, clean_lines if field.name in _MULTILINE else clean_text)
    for field in Project._meta.concrete_fields
}
