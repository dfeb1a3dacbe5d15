"""Writing the demo district in bulk: every row the services would write, without a query per row.

The district is computed in Python and inserted in batches: the cases' baselines come from
``core.scenarios.compare``, their current plan and SLA reading from the approvals bridge
(``approvals.planning``), which the services use too. The scripted projects get their rows here and their
histories from ``daiban.demo.narrate``. Big tables go through ``inserts.Table`` (plain multi-row INSERTs),
small ones through ``bulk_create``.

Note: the audit trail gets one entry per table ("演示数据批量载入", with the row count), not one per row:
a benchmark database of 300,000 cases does not need 300,000 "created" entries, and the entry says who
loaded what and when. Rows are inserted at version 1, as created.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models

from daiban.accounts.models import Department, Role, User
from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.audit.models import AuditAction, AuditEntry
from daiban.core.errors import DomainError
from daiban.core.pacing import preset
from daiban.core.scenarios import compare
from daiban.demo.district import District, ProjectSpec
from daiban.demo.inserts import Table
from daiban.demo.narrate import MILESTONE_ORDER, is_narrated
from daiban.demo.portfolio import handbook_of
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.projects.models import Enterprise, Milestone, MilestoneKind, Project
from daiban.projects.services import milestone_kinds_sync

CHUNK = 500  # projects whose cases are computed and inserted together (bounded memory)
Progress = Callable[[str], None] | None


def load_in_bulk(district: District, *, progress: Progress = None) -> tuple[list[Project], dict[str, User]]:
    """Write ``district``, except the histories of the scripted projects (``narrate``); returns the projects
    (in the district's order, only their ids loaded) and the users by username. The caller holds the
    transaction."""
    milestone_kinds_sync()
    counts: dict[type[models.Model], int] = {}
    departments = _departments(district, counts)
    enterprises = _bulk(Enterprise, [_enterprise(spec) for spec in district.enterprises], counts)
    users = _users(district, departments, enterprises, counts)
    projects = _projects(district, departments, enterprises, users, counts)
    _insert(Milestone, _milestones(district, projects), counts)
    _cases(district, projects, counts, progress)
    _insert(MonthlyInvestment, _months(district, projects), counts)
    pacing = [float(share) for share in preset(district.pacing).shares]
    _bulk(
        InvestmentTarget,
        [InvestmentTarget(year=district.year, amount=district.target, pacing=pacing)],
        counts,
    )
    _audit(district, counts)
    return [Project(pk=pk) for pk in projects], users


def _bulk(model: type[models.Model], rows: list, counts: dict) -> list:
    created = model.objects.bulk_create(rows, batch_size=500) if rows else []
    counts[model] = counts.get(model, 0) + len(created)
    return created


def _insert(model: type[models.Model], rows, counts: dict, table: Table | None = None) -> None:
    table = table or Table(model)
    counts[model] = counts.get(model, 0) + table.insert(rows)
    table.reset_sequence()


def _departments(district: District, counts: dict) -> dict[str, Department]:
    existing = {department.name: department for department in Department.objects.all()}
    missing = [
        Department(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            level=spec.level,
            phone=spec.phone,
            head_name=spec.head_name,
        )
        for spec in district.departments
        if spec.name not in existing
    ]
    return existing | {department.name: department for department in _bulk(Department, missing, counts)}


def _enterprise(spec) -> Enterprise:
    return Enterprise(
        name=spec.name,
        uscc=spec.uscc,
        contact_name=spec.contact_name,
        contact_phone=spec.contact_phone,
        industry=spec.industry,
        registered_on=spec.registered_on,
        address=spec.address,
    )


def _users(district: District, departments, enterprises, counts: dict) -> dict[str, User]:
    """Every user, sharing one password hash: argon2 is slow by design, so the demo password is hashed once
    (equal passwords then look equal, which they are). An existing user with the same username and role
    (e.g. the admin of `daiban init`) is kept as it is, password included."""
    names = [spec.username for spec in district.users]
    existing = {user.username: user for user in User.objects.filter(username__in=names)}
    for spec in district.users:
        taken = existing.get(spec.username)
        if taken is not None and taken.role != spec.role:
            role = Role(spec.role).label
            raise DomainError(f"用户名 {spec.username} 已被占用（现有用户不是{role}），无法载入演示数据")
    password = make_password(district.password)
    rows = [
        User(
            username=spec.username,
            full_name=spec.full_name,
            role=spec.role,
            phone=spec.phone,
            password=password,
            department=departments[spec.department] if spec.department else None,
            enterprise=enterprises[spec.enterprise] if spec.enterprise is not None else None,
            is_staff=spec.role == "admin",
            is_superuser=spec.superuser,
        )
        for spec in district.users
        if spec.username not in existing
    ]
    return existing | {user.username: user for user in _bulk(User, rows, counts)}


# ------------------------------------------------------------------------------------------ projects


def _projects(district: District, departments, enterprises, users, counts: dict) -> list[int]:
    """Insert the projects and their specialists; returns their ids in the district's order."""
    table = Table(Project)
    first = table.next_id()
    ids = list(range(first, first + len(district.projects)))
    rows = (
        _project(pk, spec, district, departments, enterprises, users)
        for pk, spec in zip(ids, district.projects, strict=True)
    )
    _insert(Project, rows, counts, table)
    through = Project.specialists.through
    links = (
        {"project_id": pk, "user_id": users[name].pk}
        for pk, spec in zip(ids, district.projects, strict=True)
        for name in spec.specialists
    )
    _insert(through, links, counts)
    return ids


def _project(
    pk: int, spec: ProjectSpec, district: District, departments, enterprises, users
) -> dict[str, Any]:
    reached = [code for code in MILESTONE_ORDER if code in spec.milestones]
    return {
        "id": pk,
        "name": spec.name,
        "project_code": spec.project_code,
        "enterprise_id": enterprises[spec.enterprise].pk,
        "category": spec.category,
        "industry": spec.industry,
        "location": spec.location,
        "year": district.year,
        "total_investment": spec.total_investment,
        "annual_plan": spec.annual_plan,
        "planned_start_on": spec.planned_start_on,
        "statistics_registered": spec.statistics_registered,
        "responsible_department_id": departments[spec.responsible_department].pk,
        "butler_id": users[spec.butler].pk,
        "current_milestone": reached[-1] if reached and not is_narrated(spec) else "",
        **spec.facts,
    }


def _bulk_written(projects: list[int], specs: list[ProjectSpec]) -> Iterator[tuple[int, ProjectSpec]]:
    """The projects whose history is written here (not narrated through the services)."""
    return ((pk, spec) for pk, spec in zip(projects, specs, strict=True) if not is_narrated(spec))


def _milestones(district: District, projects: list[int]) -> Iterator[dict[str, Any]]:
    """The reached milestones; 拿地 also carries the planned date the approval plan started from."""
    kinds = dict(MilestoneKind.objects.values_list("code", "pk"))
    for pk, spec in _bulk_written(projects, district.projects):
        for code in MILESTONE_ORDER:
            planned = first_acceptance(spec) if code == "land_acquired" else None
            actual = spec.milestones.get(code)
            if actual or planned:
                yield {"project_id": pk, "kind_id": kinds[code], "planned_on": planned, "actual_on": actual}


def first_acceptance(spec: ProjectSpec):
    return min(actual.accepted_on for actual in spec.cases.values() if actual.accepted_on)


def _months(district: District, projects: list[int]) -> Iterator[dict[str, Any]]:
    for pk, spec in _bulk_written(projects, district.projects):
        for month in spec.months:
            yield {
                "project_id": pk,
                "year": district.year,
                "month": month.month,
                "amount": month.amount,
                "funds_in_place": month.funds_in_place,
            }


# ------------------------------------------------------------------------------------------ cases


class CaseRow:
    """An approval case as the approvals bridge reads it (attributes only), before it becomes a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _cases(district: District, projects: list[int], counts: dict, progress: Progress) -> None:
    """Compute and insert the cases chunk by chunk, each chunk's suspensions right after it."""
    cases_table, pauses_table = Table(ApprovalCase), Table(CaseSuspension)
    base = {**cases_table.defaults, "pk": None}
    next_id = cases_table.next_id()
    for first in range(0, len(projects), CHUNK):
        part = slice(first, first + CHUNK)
        rows, pauses = [], []
        for pk, spec in _bulk_written(projects[part], district.projects[part]):
            for case in project_cases(pk, spec, district, base):
                case.id, next_id = next_id, next_id + 1
                rows.append(case.__dict__)
                pauses += [
                    {"case_id": case.id, "start": p.start, "end": p.end, "reason": p.reason}
                    for p in spec.cases[case.item_code].suspensions
                ]
        counts[ApprovalCase] = counts.get(ApprovalCase, 0) + cases_table.insert(rows)
        counts[CaseSuspension] = counts.get(CaseSuspension, 0) + pauses_table.insert(pauses)
        if progress:
            progress(f"已写入 {min(first + CHUNK, len(projects))}/{len(projects)} 个项目的办件")
    cases_table.reset_sequence()
    pauses_table.reset_sequence()


def project_cases(project_id: int, spec: ProjectSpec, district: District, base: dict) -> list[CaseRow]:
    """One project's cases: baselines of both scenarios, recorded facts, current plan and SLA reading."""
    cal, as_of = planning.calendar(), district.as_of
    handbook = handbook_of(spec)
    comparison = compare(handbook, calendar=cal, start=first_acceptance(spec))
    cases = []
    for order, item in enumerate(handbook.cases):
        actual = spec.cases[item.code]
        decided = actual.decided_on is not None
        values = {
            **base,
            "project_id": project_id,
            **planning.case_item_data(item, order),
            **_baseline(comparison, item.code),
            "submitted_on": actual.submitted_on,
            "accepted_on": actual.accepted_on,
            "decided_on": actual.decided_on,
            "result": "approved" if decided else "",
            "commitment_used": decided and item.commitment and actual.decided_on == actual.accepted_on,
        }
        cases.append(CaseRow(values))
    plans = planning.replan(cases, start=planning.replan_start(cases, as_of), status_date=as_of, cal=cal)
    for case in cases:
        case.__dict__.update(plans[case.item_code])
        pauses = spec.cases[case.item_code].suspensions
        case.__dict__.update(planning.sla_values(case, pauses, today=as_of, cal=cal))
    return cases


def _baseline(comparison, code: str) -> dict[str, Any]:
    """Both scenarios' planned dates of one case (the first plan, kept to measure slippage)."""
    conventional = planning.schedule_activity(comparison.conventional, code)
    agency = planning.schedule_activity(comparison.agency, code)
    return {
        "conventional_start": conventional.early_start if conventional else None,
        "conventional_finish": conventional.early_finish if conventional else None,
        "conventional_critical": bool(conventional and conventional.critical),
        "agency_start": agency.early_start if agency else None,
        "agency_finish": agency.early_finish if agency else None,
        "agency_critical": bool(agency and agency.critical),
    }


# ------------------------------------------------------------------------------------------ audit


def _audit(district: District, counts: dict[type[models.Model], int]) -> None:
    """One entry per table: what the demo loader inserted."""
    entries = [
        AuditEntry(
            actor_name="系统",
            action=AuditAction.IMPORT,
            model_label=model._meta.label_lower,
            object_id="*",
            object_repr=f"{model._meta.verbose_name}（{count} 条）",
            changes={"rows": count, "seed": district.seed, "projects": len(district.projects)},
            note="演示数据批量载入",
        )
        for model, count in counts.items()
        if count
    ]
    AuditEntry.objects.bulk_create(entries)
