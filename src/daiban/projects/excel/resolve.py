"""Names in a 项目清单 → rows in the database: butlers, departments, enterprises and the existing projects.

Everything is loaded with a handful of queries up front (never one per row), so validating 10,000 rows costs
the same few round trips as validating ten.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from daiban.accounts.models import Department, Role, User
from daiban.projects.excel.cells import CellError, clean_text
from daiban.projects.excel.columns import IGNORED, PROJECT_COLUMNS
from daiban.projects.models import Enterprise, Project

# What planning reads of an existing project (loading only these skips the costly datetime/JSON columns).
PROJECT_FIELDS_READ = (
    "id", "version", "deleted_at", "name", "project_code", "enterprise", "butler", "responsible_department",
    *(column.key for column in PROJECT_COLUMNS if column.kind != IGNORED and "enterprise_" not in column.key),
)  # fmt: skip
CHUNK = 900  # values per IN (…): Django allows SQLite 999 parameters per statement
_NAME_WITH_USERNAME = re.compile(r"(.+?)\((.+)\)")  # 张三(zhangsan) — NFKC has folded （）


def name_key(text: str | None) -> str:
    """Names compare without spaces and after NFKC, as people type them differently."""
    return "".join(clean_text(text).split())


@dataclass
class People:
    """Active users by full name and by username; departments by name and short name."""

    by_name: dict[str, list[User]] = field(default_factory=lambda: defaultdict(list))
    by_username: dict[str, User] = field(default_factory=dict)
    departments: dict[str, list[Department]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> People:
        people = cls()
        for user in User.objects.filter(is_active=True).only("id", "username", "full_name", "role"):
            people.by_username[name_key(user.username)] = user
            if user.full_name:
                people.by_name[name_key(user.full_name)].append(user)
        for department in Department.objects.only("id", "name", "short_name"):
            for name in {name_key(department.name), name_key(department.short_name)} - {""}:
                people.departments[name].append(department)
        return people

    def butler(self, text: str) -> User:
        """The butler named ``text`` (姓名, 用户名 or 姓名（用户名）); CellError says why not."""
        match = _NAME_WITH_USERNAME.fullmatch(text)
        if match and name_key(match[2]) in self.by_username:
            user = self.by_username[name_key(match[2])]
        else:
            candidates = self.by_name.get(name_key(text)) or []
            if not candidates and name_key(text) in self.by_username:
                candidates = [self.by_username[name_key(text)]]
            if not candidates:
                raise CellError(f"系统中没有名为“{text}”的项目管家")
            if len(candidates) > 1:
                raise CellError(f"系统中有 {len(candidates)} 个名为“{text}”的用户，请写成“姓名（用户名）”")
            user = candidates[0]
        if user.role != Role.BUTLER:
            raise CellError(f"“{text}”不是项目管家（角色：{user.get_role_display() or '无'}）")
        return user

    def department(self, text: str) -> Department:
        found = self.departments.get(name_key(text)) or []
        if len(found) == 1:
            return found[0]
        if not found:
            raise CellError(f"系统中没有名为“{text}”的部门")
        raise CellError(f"“{text}”同时是 {len(found)} 个部门的名称或简称，请写部门全称")


def butler_labels() -> dict[int, str]:
    """How the export names each butler so the import finds exactly that user again."""
    users = list(User.objects.filter(role=Role.BUTLER).only("id", "username", "full_name"))
    counts: dict[str, int] = defaultdict(int)
    for user in User.objects.filter(is_active=True).exclude(full_name="").only("full_name"):
        counts[name_key(user.full_name)] += 1
    return {user.pk: _butler_label(user, counts) for user in users}


def _butler_label(user: User, counts: dict[str, int]) -> str:
    if not user.full_name:
        return user.username
    if counts[name_key(user.full_name)] == 1:
        return user.full_name
    return f"{user.full_name}（{user.username}）"


@dataclass
class Known:
    """Enterprises and projects the file may refer to, loaded in bulk."""

    enterprises_by_uscc: dict[str, Enterprise]
    enterprises_by_name: dict[str, list[Enterprise]]
    projects_by_code: dict[str, Project]  # live and deleted (a code stays taken by a deleted project)
    projects_by_name: dict[str, list[Project]]  # live only
    visible: set[int] | None  # ids of projects the actor may see; None when the actor sees all

    @classmethod
    def load(
        cls, *, actor, usccs: Iterable[str], enterprise_names: Iterable[str], projects: list[tuple[str, str]]
    ) -> Known:
        """``projects``: (code or "", name) of each row; a project is looked up by name only when its row has
        no code or the code is not known yet (the project may have been listed before it got its code)."""
        enterprises: dict[int, Enterprise] = {}
        _matching(Enterprise.all_objects.all(), "uscc", usccs, enterprises)
        _matching(Enterprise.all_objects.all(), "name", enterprise_names, enterprises)
        by_uscc, by_name = {}, defaultdict(list)
        for enterprise in enterprises.values():
            by_uscc[enterprise.uscc] = enterprise
            if not enterprise.is_deleted:
                by_name[name_key(enterprise.name)].append(enterprise)
        found: dict[int, Project] = {}
        rows = Project.all_objects.only(*PROJECT_FIELDS_READ)
        _matching(rows, "project_code", {code for code, _name in projects if code}, found)
        known_codes = {project.project_code for project in found.values()}
        _matching(rows, "name", {name for code, name in projects if code not in known_codes}, found)
        by_code, projects_by_name = {}, defaultdict(list)
        for project in found.values():
            if project.project_code:
                by_code[project.project_code] = project
            if not project.is_deleted:
                projects_by_name[name_key(project.name)].append(project)
        return cls(by_uscc, by_name, by_code, projects_by_name, _visible_ids(actor))

    def may_see(self, project: Project) -> bool:
        return self.visible is None or project.pk in self.visible


def _matching(queryset: QuerySet, field_name: str, wanted: Iterable[str], found: dict[int, Any]) -> None:
    """Add to ``found`` the rows whose field is one of ``wanted`` (chunked: SQLite limits parameters)."""
    ordered = sorted(set(wanted))
    for start in range(0, len(ordered), CHUNK):
        for row in queryset.filter(**{f"{field_name}__in": ordered[start : start + CHUNK]}):
            found.setdefault(row.pk, row)


def _visible_ids(actor) -> set[int] | None:
    if actor is None or actor.sees_all_projects:
        return None
    # Note: only roles with a small scope get here (a butler's or specialist's own projects).
    return set(Project.objects.for_user(actor).values_list("pk", flat=True))
