"""The 驾驶舱 (dashboard) figures: one selector, scoped by the user, aggregated by the database.

Each figure has one source, so the dashboard, its API endpoint and the filtered list a click leads to agree:

- counts by category, milestone and light: the user's projects of the year (``project_for_user``), one
  grouped query; the list shows the same rows with ``?year=…&category=…`` (or ``milestone``, ``light``);
- investment, 序时进度 and 四率: ``investment.selectors.investment_summary``;
- red/yellow projects: the same year's projects with a red or yellow light, red first;
- overdue cases and the department ranking: open cases past their promised due date
  (``approvals.selectors.cases_overdue``), of any year's project; the list shows their projects with
  ``?overdue=1`` (and ``&overdue_department=<id>``).

Ten queries whatever the number of projects (about 290 ms with 10,000 projects and 226,000 cases on SQLite,
half of it the investment sums over 75,000 monthly reports). Every district-wide role sees the same figures,
so they are computed once per state of the data: cached under the id of the newest audit entry, which every
recorded change and every daily run moves; the investment figures apart, under the newest entry of the rows
they read, so a recorded case or issue recomputes only the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from daiban.approvals.models import ApprovalCase, SlaState
from daiban.approvals.selectors import case_for_user, cases_overdue
from daiban.audit.selectors import audit_latest_id
from daiban.investment.models import MonthlyInvestment
from daiban.investment.selectors import InvestmentSummary, investment_summary
from daiban.projects.choices import Category, Light
from daiban.projects.models import Project
from daiban.projects.selectors import milestone_kind_list, project_for_user

NO_LIGHT = "none"  # the list's filter value for projects not yet assessed
NO_MILESTONE = "none"
UNMATCHED_DEPARTMENT = "未匹配部门"
FLAGGED_LIMIT = 50
OVERDUE_LIMIT = 20
CACHE_SECONDS = 600  # a bound for changes made outside the services (admin pages of reference data)
# What investment_summary reads: the year's list (plan, category), 开工/竣工 milestones, reports, the target.
INVESTMENT_MODELS = (
    "projects.project",
    "projects.milestone",
    "investment.monthlyinvestment",
    "investment.investmenttarget",
)
T = TypeVar("T")


@dataclass(frozen=True)
class Tally:
    """One count with the list filter value that shows exactly those projects."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class FlaggedProject:
    pk: int
    name: str
    light: str
    reasons: tuple[str, ...]
    butler: str
    department: str


@dataclass(frozen=True)
class OverdueCase:
    pk: int
    project_id: int
    project_name: str
    name: str
    department: str
    due_on: dt.date | None
    overdue_days: int


@dataclass(frozen=True)
class DepartmentOverdue:
    """An issuing department's open overdue cases and how far past the promised limit they are."""

    key: int | None  # department id; None for cases whose department name matched no department
    label: str
    overdue: int
    average_days: Decimal | None
    max_days: int
    projects: int


@dataclass(frozen=True)
class DashboardFigures:
    year: int
    month: int
    project_count: int
    by_category: tuple[Tally, ...]
    by_milestone: tuple[Tally, ...]
    by_light: tuple[Tally, ...]
    investment: InvestmentSummary
    flagged: tuple[FlaggedProject, ...]  # red then yellow, at most FLAGGED_LIMIT
    overdue_cases: tuple[OverdueCase, ...]  # longest overdue first, at most OVERDUE_LIMIT
    overdue_total: int
    overdue_projects: int
    departments: tuple[DepartmentOverdue, ...]  # most overdue cases first

    def light_count(self, light: str) -> int:
        return next((tally.count for tally in self.by_light if tally.key == light), 0)

    @property
    def flagged_total(self) -> int:
        return self.light_count(Light.RED) + self.light_count(Light.YELLOW)


def dashboard_figures(*, user, year: int, month: int) -> DashboardFigures:
    """The 驾驶舱 figures of the user's projects of ``year``; investment as of the end of ``month``."""
    if not user.sees_all_projects:
        return _figures(user=user, year=year, month=month)
    return _cached(f"dashboard:{year}:{month}", lambda: _figures(user=user, year=year, month=month))


def _cached(key: str, compute: Callable[[], T], *model_labels: str) -> T:
    """``compute()``, cached under the newest audit entry (of ``model_labels``' rows, when given)."""
    key = f"{key}:{audit_latest_id(*model_labels)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _investment(user, year: int, month: int) -> InvestmentSummary:
    """The investment figures, the costliest part (every monthly report of the year): cached apart, under
    the rows they read, so that recording a case or an issue does not recompute them."""
    compute = partial(investment_summary, user=user, year=year, month=month)
    if not user.sees_all_projects:
        return compute()
    return _cached(f"dashboard-investment:{year}:{month}", compute, *INVESTMENT_MODELS)


def _figures(*, user, year: int, month: int) -> DashboardFigures:
    projects = project_for_user(user).filter(year=year)
    by_category, by_milestone, by_light, total = _tallies(projects)
    overdue = _overdue_totals(user)
    return DashboardFigures(
        year=year,
        month=month,
        project_count=total,
        by_category=by_category,
        by_milestone=by_milestone,
        by_light=by_light,
        investment=_investment(user, year, month),
        flagged=_flagged(projects),
        overdue_cases=_overdue_cases(user),
        overdue_total=sum(row.overdue for row in overdue.departments),
        overdue_projects=overdue.projects,
        departments=overdue.departments,
    )


def dashboard_default_month(*, user, year: int, today: dt.date | None = None) -> int:
    """The latest month of ``year`` with reported investment (up to today's month), else today's month.

    Note: the reporting month is a district-wide fact, like the target, so it is read without the user's
    scope (``user`` is taken for a uniform call): newest month first, each an EXISTS that stops at its
    first row — far cheaper than MAX over the year's reports.
    """
    today = today or timezone.localdate()
    last = 12 if year < today.year else today.month
    reports = MonthlyInvestment.objects.filter(year=year)
    for month in range(last, 0, -1):
        if reports.filter(month=month).exists():
            return month
    return last if year <= today.year else 1


# ---------------------------------------------------------------------------------------------- counts


def _tallies(
    projects: QuerySet[Project],
) -> tuple[tuple[Tally, ...], tuple[Tally, ...], tuple[Tally, ...], int]:
    """One grouped query over (category, milestone, light), folded into the three tallies."""
    rows = projects.values("category", "current_milestone", "light").annotate(n=Count("pk")).order_by()
    categories: dict[str, int] = {}
    milestones: dict[str, int] = {}
    lights: dict[str, int] = {}
    for row in rows:
        categories[row["category"]] = categories.get(row["category"], 0) + row["n"]
        milestone = row["current_milestone"] or NO_MILESTONE
        milestones[milestone] = milestones.get(milestone, 0) + row["n"]
        light = row["light"] or NO_LIGHT
        lights[light] = lights.get(light, 0) + row["n"]
    by_category = tuple(Tally(code, label, categories.get(code, 0)) for code, label in Category.choices)
    kinds = [(NO_MILESTONE, "未到签约"), *((kind.code, kind.name) for kind in milestone_kind_list())]
    known = {code for code, _ in kinds}
    kinds += [
        (code, code) for code in sorted(milestones) if code not in known
    ]  # a disabled kind still counts
    by_milestone = tuple(Tally(code, label, milestones.get(code, 0)) for code, label in kinds)
    light_order = [(Light.RED, "红灯"), (Light.YELLOW, "黄灯"), (Light.GREEN, "绿灯"), (NO_LIGHT, "未评估")]
    by_light = tuple(Tally(str(code), label, lights.get(code, 0)) for code, label in light_order)
    return by_category, by_milestone, by_light, sum(categories.values())


def _flagged(projects: QuerySet[Project]) -> tuple[FlaggedProject, ...]:
    rows = (
        projects.filter(light__in=[Light.RED, Light.YELLOW])
        .values(
            "pk",
            "name",
            "light",
            "light_reasons",
            "butler__full_name",
            "butler__username",
            "responsible_department__name",
        )
        .order_by("light", "name", "pk")[:FLAGGED_LIMIT]  # "red" sorts before "yellow"
    )
    return tuple(
        FlaggedProject(
            pk=row["pk"],
            name=row["name"],
            light=row["light"],
            reasons=tuple(_reason_text(reason) for reason in row["light_reasons"] or ()),
            butler=row["butler__full_name"] or row["butler__username"] or "",
            department=row["responsible_department__name"] or "",
        )
        for row in rows
    )


def _reason_text(reason) -> str:
    return reason.get("text", "") if isinstance(reason, dict) else str(reason)


# ---------------------------------------------------------------------------------------------- overdue


def _overdue_cases(user) -> tuple[OverdueCase, ...]:
    rows = cases_overdue(user=user).values(
        "pk", "project_id", "project__name", "name", "department__name", "department_name", "due_on",
        "overdue_days",
    )[:OVERDUE_LIMIT]  # fmt: skip
    return tuple(
        OverdueCase(
            pk=row["pk"],
            project_id=row["project_id"],
            project_name=row["project__name"],
            name=row["name"],
            department=row["department__name"] or row["department_name"] or UNMATCHED_DEPARTMENT,
            due_on=row["due_on"],
            overdue_days=row["overdue_days"],
        )
        for row in rows
    )


def _open_overdue(user) -> QuerySet[ApprovalCase]:
    # Note: the same rows as approvals.selectors.cases_overdue, without its joins and ordering.
    return case_for_user(user).filter(sla_state=SlaState.OVERDUE, decided_on__isnull=True)


@dataclass(frozen=True)
class _OverdueTotals:
    departments: tuple[DepartmentOverdue, ...]
    projects: int


def _overdue_totals(user) -> _OverdueTotals:
    """The department ranking and the number of projects with overdue cases, from one grouped query.

    Grouped by (department, project) in SQL — at most one row per overdue case, usually far fewer — then
    folded into departments here, which also gives the distinct projects without a second query.
    """
    rows = (
        _open_overdue(user)
        .values("department_id", "department__name", "project_id")
        .annotate(cases=Count("pk"), days=Sum("overdue_days"), longest=Max("overdue_days"))
        .order_by()
    )
    folded: dict[int | None, dict] = {}
    projects: set[int] = set()
    for row in rows:
        projects.add(row["project_id"])
        entry = folded.setdefault(
            row["department_id"],
            {
                "label": row["department__name"] or UNMATCHED_DEPARTMENT,
                "cases": 0,
                "days": 0,
                "longest": 0,
                "projects": 0,
            },
        )
        entry["cases"] += row["cases"]
        entry["days"] += row["days"] or 0
        entry["longest"] = max(entry["longest"], row["longest"] or 0)
        entry["projects"] += 1
    ranking = [_department_row(key, entry) for key, entry in folded.items()]
    ranking.sort(key=lambda row: (-row.overdue, -(row.average_days or 0), row.label))
    return _OverdueTotals(tuple(ranking), len(projects))


def _department_row(key: int | None, entry: dict) -> DepartmentOverdue:
    average = (Decimal(entry["days"]) / entry["cases"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return DepartmentOverdue(
        key=key,
        label=entry["label"],
        overdue=entry["cases"],
        average_days=average,
        max_days=entry["longest"],
        projects=entry["projects"],
    )


def department_overdue_ranking(*, user) -> tuple[DepartmentOverdue, ...]:
    """Issuing departments by open overdue cases, then by average days over the promised limit."""
    return _overdue_totals(user).departments


def overdue_project_filter(*, user, department: int | None = None) -> Q:
    """Filter of the overdue click-throughs: projects with an open overdue case (of ``department``)."""
    cases = _open_overdue(user)
    if department is not None:
        cases = cases.filter(department_id=department)
    return Q(pk__in=cases.values("project_id"))
