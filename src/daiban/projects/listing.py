"""The 项目清单 filters and sort orders, shared by the list page, its Excel export and the API.

``project_list_filter(user=…, filters=…)`` starts from ``project_for_user`` (the one scope), so a filter can
only narrow what the user may see: a butler asking for another butler's projects gets an empty list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from daiban.approvals.models import ApprovalCase, SlaState
from daiban.projects.choices import Category, Light
from daiban.projects.dashboard import NO_LIGHT, NO_MILESTONE, overdue_project_filter
from daiban.projects.models import MilestoneKind, Project
from daiban.projects.selectors import project_for_user

SEARCH_MAX = 100
LIGHTS = frozenset({*Light.values, NO_LIGHT})


@dataclass(frozen=True)
class ProjectFilters:
    """What the list is narrowed to; empty values mean "any". ``from_query`` parses a query string."""

    year: int | None = None
    category: str = ""
    industry: str = ""
    milestone: str = ""  # a milestone kind code, or "none" (no milestone reached)
    light: str = ""  # red / yellow / green / none (not assessed)
    butler: int | None = None
    department: int | None = None  # responsible department (责任单位)
    q: str = ""  # name, project code or enterprise
    overdue: bool = False  # has an open overdue approval case
    overdue_department: int | None = None  # … of this issuing department

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ProjectFilters:
        """Parse a query string leniently: a value that is not valid is ignored, never an error page."""
        return cls(
            year=_int(params.get("year"), 2000, 2100),
            category=_choice(params.get("category"), Category.values),
            industry=(params.get("industry") or "").strip()[:50],
            milestone=(params.get("milestone") or "").strip()[:32],
            light=_choice(params.get("light"), LIGHTS),
            butler=_int(params.get("butler")),
            department=_int(params.get("department")),
            q=(params.get("q") or "").strip()[:SEARCH_MAX],
            overdue=params.get("overdue") in ("1", "true", "on"),
            overdue_department=_int(params.get("overdue_department")),
        )

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as query-string values (for links, the export and pagination)."""
        query = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value in (None, "", False):
                continue
            query[item.name] = "1" if value is True else str(value)
        return query

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def _int(value: str | None, low: int = 1, high: int = 2**62) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _choice(value: str | None, allowed) -> str:
    value = (value or "").strip()
    return value if value in allowed else ""


def project_list_filter(*, user, filters: ProjectFilters) -> QuerySet[Project]:
    """The user's projects narrowed by ``filters`` (unordered; see ``project_list_order``)."""
    projects = project_for_user(user)
    simple = {
        "year": filters.year,
        "category": filters.category,
        "industry": filters.industry,
        "butler_id": filters.butler,
        "responsible_department_id": filters.department,
    }
    projects = projects.filter(**{key: value for key, value in simple.items() if value not in (None, "")})
    if filters.milestone:
        projects = projects.filter(
            current_milestone="" if filters.milestone == NO_MILESTONE else filters.milestone
        )
    if filters.light:
        projects = projects.filter(light="" if filters.light == NO_LIGHT else filters.light)
    if filters.q:
        term = filters.q
        projects = projects.filter(
            Q(name__icontains=term) | Q(project_code__icontains=term) | Q(enterprise__name__icontains=term)
        )
    if filters.overdue or filters.overdue_department:
        projects = projects.filter(overdue_project_filter(user=user, department=filters.overdue_department))
    return projects


# ---------------------------------------------------------------------------------------------- sorting

_LIGHT_RANK = Case(
    When(light=Light.RED, then=Value(0)),
    When(light=Light.YELLOW, then=Value(1)),
    When(light=Light.GREEN, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)

# sort key → the ORDER BY expressions (ascending); "-key" reverses them.
SORTS = {
    "name": ("name",),
    "year": ("year", "name"),
    "category": ("category", "name"),
    "industry": ("industry", "name"),
    "total_investment": ("total_investment",),
    "annual_plan": ("annual_plan",),
    "light": ("light_rank", "name"),
    "milestone": ("milestone_rank", "name"),
    "butler": ("butler__full_name", "name"),
    "department": ("responsible_department__name", "name"),
    "overdue_cases": ("overdue_cases", "name"),
    "updated_at": ("updated_at",),
}
DEFAULT_SORT = "light"


def project_list_order(projects: QuerySet[Project], sort: str) -> tuple[QuerySet[Project], str]:
    """Order by a known key (``-`` prefix for descending); an unknown key falls back to the default."""
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT
    descending = sort.startswith("-")
    if key == "light":
        projects = projects.annotate(light_rank=_LIGHT_RANK)
    elif key == "milestone":
        projects = projects.annotate(milestone_rank=_milestone_rank())
    elif key == "overdue_cases" and "overdue_cases" not in projects.query.annotations:
        projects = with_overdue_counts(projects)
    expressions = [f"-{name}" if descending else name for name in SORTS[key]]
    return projects.order_by(*expressions, "pk"), sort


def _milestone_rank() -> Case:
    kinds = MilestoneKind.objects.values_list("code", "order")
    ranks = [When(current_milestone=code, then=Value(order)) for code, order in kinds]
    return Case(*ranks, default=Value(-1), output_field=IntegerField())


def with_overdue_counts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate ``overdue_cases``: open overdue approval cases of each project (a correlated subquery)."""
    counts = (
        ApprovalCase.objects.filter(
            project=OuterRef("pk"), sla_state=SlaState.OVERDUE, decided_on__isnull=True
        )
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects.annotate(overdue_cases=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
