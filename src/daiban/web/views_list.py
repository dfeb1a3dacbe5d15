"""项目清单: the filtered, sorted, paginated list with column choice, and its Excel export."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from daiban.accounts.selectors import butler_choices, department_list
from daiban.projects.choices import Category
from daiban.projects.dashboard import NO_LIGHT, NO_MILESTONE
from daiban.projects.excel import can_import_projects, projects_export
from daiban.projects.listing import (
    DEFAULT_SORT,
    SORTS,
    ProjectFilters,
    project_list_filter,
    project_list_order,
    with_overdue_counts,
)
from daiban.projects.models import Project
from daiban.projects.selectors import milestone_kind_list, project_for_user
from daiban.web.access import ANY_ROLE, role_required
from daiban.web.templatetags.daiban_format import wan

PAGE_SIZES = (20, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
COLUMNS_SESSION_KEY = "project_list_columns"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    default: bool  # shown until the user chooses columns
    sort: str = ""  # a key of listing.SORTS, "" when not sortable
    numeric: bool = False


COLUMNS = (
    Column("project_code", "项目代码", False),
    Column("name", "项目名称", True, "name"),
    Column("enterprise", "项目单位", True),
    Column("year", "年度", False, "year", numeric=True),
    Column("category", "类别", True, "category"),
    Column("industry", "产业领域", True, "industry"),
    Column("total_investment", "总投资（万元）", True, "total_investment", numeric=True),
    Column("annual_plan", "年度计划（万元）", True, "annual_plan", numeric=True),
    Column("milestone", "当前节点", True, "milestone"),
    Column("light", "红绿灯", True, "light"),
    Column("light_reasons", "亮灯原因", False),
    Column("overdue_cases", "逾期办件", True, "overdue_cases", numeric=True),
    Column("butler", "项目管家", True, "butler"),
    Column("department", "责任单位", True, "department"),
    Column("location", "建设地点", False),
    Column("planned_start_on", "计划开工", False),
    Column("statistics_registered", "纳统", False),
    Column("updated_at", "更新时间", False, "updated_at"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
ALWAYS_SHOWN = "name"


@dataclass(frozen=True)
class Cell:
    text: str
    css: str = ""  # of the cell
    title: str = ""
    badge: str = ""  # css of a span around the text (the light's dot)


# ---------------------------------------------------------------------------------------------- list


@role_required(*ANY_ROLE)
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilters.from_query(request.GET)
    projects, sort = project_list_order(
        with_overdue_counts(_listed(request, filters)), request.GET.get("sort", DEFAULT_SORT)
    )
    size = _page_size(request)
    page = Paginator(projects, size).get_page(request.GET.get("page"))
    columns = _chosen_columns(request)
    milestones = {kind.code: kind.name for kind in milestone_kind_list()}
    query = filters.as_query()
    context = {
        "filters": filters,
        "page": page,
        "columns": columns,
        "all_columns": COLUMNS,
        "headers": _headers(columns, query, sort, size),
        "name_index": columns.index(COLUMNS_BY_KEY[ALWAYS_SHOWN]),
        "rows": [(project, [_cell(project, column, milestones) for column in columns]) for project in page],
        "sort": sort,
        "can_import": can_import_projects(actor=request.user),
        "overdue_department_name": _department_name(filters.overdue_department),
        "page_query": urlencode({**query, "sort": sort, "size": size}),
        "export_query": urlencode(query),
        "size": size,
        "page_sizes": PAGE_SIZES,
        "options": _filter_options(request.user, filters, milestones),
    }
    return render(request, "web/project_list.html", context)


def _listed(request: HttpRequest, filters: ProjectFilters):
    return project_list_filter(user=request.user, filters=filters).select_related(
        "enterprise", "butler", "responsible_department"
    )


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _chosen_columns(request: HttpRequest) -> list[Column]:
    """Columns from ?cols=… (remembered in the session), else the remembered choice, else the defaults."""
    if "cols" in request.GET:
        keys = [key for key in request.GET.getlist("cols") if key in COLUMNS_BY_KEY]
        request.session[COLUMNS_SESSION_KEY] = keys
    else:
        keys = request.session.get(COLUMNS_SESSION_KEY) or [c.key for c in COLUMNS if c.default]
    chosen = {ALWAYS_SHOWN, *keys}
    return [column for column in COLUMNS if column.key in chosen]


def _headers(columns: list[Column], query: dict[str, str], sort: str, size: int) -> list[dict]:
    """Each column's header: a sortable one links to sorting by it (toggling the direction)."""
    headers = []
    for column in columns:
        header = {"label": column.label, "numeric": column.numeric, "url": "", "state": ""}
        if column.sort in SORTS:
            key = column.sort
            header["state"] = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
            target = f"-{key}" if header["state"] == "asc" else key
            header["url"] = "?" + urlencode({**query, "sort": target, "size": size})
        headers.append(header)
    return headers


def _department_name(pk: int | None) -> str:
    if pk is None:
        return ""
    return department_list().filter(pk=pk).values_list("name", flat=True).first() or ""


# column key → the cell of one project (the milestone names are passed in: read once per page)
_CELLS = {
    "enterprise": lambda p, m: Cell(p.enterprise.name if p.enterprise else ""),
    "category": lambda p, m: Cell(p.get_category_display(), "nowrap"),
    "total_investment": lambda p, m: Cell(wan(p.total_investment), "num"),
    "annual_plan": lambda p, m: Cell(wan(p.annual_plan), "num"),
    "milestone": lambda p, m: Cell(m.get(p.current_milestone, p.current_milestone) or "—", "nowrap"),
    "light": lambda p, m: _light_cell(p),
    "light_reasons": lambda p, m: Cell("；".join(_reason_texts(p)), "small"),
    "overdue_cases": lambda p, m: Cell(str(p.overdue_cases), "num bad" if p.overdue_cases else "num muted"),
    "butler": lambda p, m: Cell(p.butler.display_name if p.butler else "", "nowrap"),
    "department": lambda p, m: Cell(p.responsible_department.name if p.responsible_department else ""),
    "statistics_registered": lambda p, m: Cell("是" if p.statistics_registered else "否", "nowrap"),
    "updated_at": lambda p, m: Cell(
        timezone.localtime(p.updated_at).strftime("%Y-%m-%d %H:%M"), "small nowrap"
    ),
    "planned_start_on": lambda p, m: Cell(
        p.planned_start_on.isoformat() if p.planned_start_on else "", "nowrap"
    ),
}
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def _cell(project: Project, column: Column, milestones: dict[str, str]) -> Cell:
    if column.key in _CELLS:
        return _CELLS[column.key](project, milestones)
    value = getattr(project, column.key)
    return Cell("" if value is None else str(value), "num" if column.numeric else "")


def _light_cell(project: Project) -> Cell:
    if not project.light:
        return Cell("未评估", "muted nowrap", badge="light")
    reasons = "\n".join(_reason_texts(project))
    label = LIGHT_LABELS.get(project.light, project.light)
    return Cell(label, "nowrap", reasons, badge=f"light light-{project.light}")


def _reason_texts(project: Project) -> list[str]:
    return [r.get("text", "") if isinstance(r, dict) else str(r) for r in project.light_reasons or ()]


def _filter_options(user, filters: ProjectFilters, milestones: dict[str, str]) -> dict[str, str]:
    """The <option> lists of the filter form, rendered here: a large zone has hundreds of butlers, and the
    template engine takes far longer than format_html_join to write them."""
    visible = project_for_user(user)
    years = visible.order_by("-year").values_list("year", flat=True).distinct()
    industries = (
        visible.exclude(industry="").order_by("industry").values_list("industry", flat=True).distinct()
    )
    choices = {
        "year": [(year, year) for year in years],
        "category": Category.choices,
        "industry": [(industry, industry) for industry in industries],
        "milestone": [(NO_MILESTONE, "未到签约"), *milestones.items()],
        "light": [("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), (NO_LIGHT, "未评估")],
        "department": list(department_list().values_list("pk", "name")),
    }
    if user.sees_all_projects:
        # Note: read as tuples, not User instances.
        rows = butler_choices().order_by("full_name", "username").values_list("pk", "full_name", "username")
        choices["butler"] = [(pk, full_name or username) for pk, full_name, username in rows]
    return {name: _options(pairs, getattr(filters, name)) for name, pairs in choices.items()}


def _options(pairs, selected) -> str:
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == selected else "", label) for value, label in pairs),
    )


# ---------------------------------------------------------------------------------------------- export


@role_required(*ANY_ROLE)
@require_GET
def project_list_export(request: HttpRequest) -> HttpResponse:
    """The same filters as the list → the 项目清单 workbook of exactly those projects (all pages)."""
    filters = ProjectFilters.from_query(request.GET)
    stream = io.BytesIO()
    projects_export(
        actor=request.user,
        stream=stream,
        queryset_or_filters=project_list_filter(user=request.user, filters=filters),
    )
    stream.seek(0)
    name = f"项目清单_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=name, content_type=XLSX)
