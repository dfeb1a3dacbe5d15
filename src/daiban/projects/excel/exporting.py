"""Excel exports: the 项目清单 (same columns as the template, so it imports back unchanged), the monthly
investment report (by project and by department, against 序时进度, with the 四率), and overdue approval cases.

Every export takes the acting user and reads through the scoped selectors: a butler exports only their own
projects. Amounts are numbers in 万元 (``#,##0.00``), dates are real dates, rates are percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import IO, Any

from django.db.models import QuerySet

from daiban.accounts.models import Department
from daiban.projects.excel.columns import (
    AMOUNT,
    BOOL,
    CHOICE,
    DATE,
    DEPARTMENT,
    IGNORED,
    NUMBER,
    PROJECT_COLUMNS,
    USER,
    YEAR,
    Column,
)
from daiban.projects.excel.resolve import butler_labels
from daiban.projects.excel.template import (
    Formats,
    add_drop_downs,
    add_project_sheet,
    open_workbook,
    write_help,
)
from daiban.projects.models import Project
from daiban.projects.selectors import project_for_user, project_list_visible

EXTRA_VALIDATED_ROWS = 500  # empty rows below the data that keep the drop-downs, for adding projects

# The fields read for the export, in one query (values_list is several times faster than model instances).
_FIELDS = {
    "enterprise_name": "enterprise__name",
    "enterprise_uscc": "enterprise__uscc",
    "enterprise_high_tech": "enterprise__high_tech",
    "butler": "butler_id",
    "responsible_department": "responsible_department_id",
}


def projects_export(
    *,
    actor,
    stream: str | IO[bytes],
    queryset_or_filters: QuerySet[Project] | Mapping[str, Any] | None = None,
) -> int:
    """Write the visible projects (optionally filtered) as a 项目清单 workbook; returns the number of rows.

    ``queryset_or_filters``: a Project queryset (intersected with the actor's scope) or the keyword filters of
    ``project_list_visible`` (year, category, search).
    """
    projects = _scoped(actor, queryset_or_filters)
    keys = [column.key for column in PROJECT_COLUMNS if column.kind != IGNORED]
    rows = projects.order_by("year", "name", "pk").values_list(*(_FIELDS.get(key, key) for key in keys))
    workbook = open_workbook(stream)
    formats = Formats(workbook)
    sheet = add_project_sheet(workbook, formats)
    plan = list(enumerate(_cell_writers(sheet, formats), start=1))
    count = 0
    for count, values in enumerate(rows.iterator(chunk_size=2000), start=1):
        sheet.write_number(count, 0, count)
        for (index, (write, convert, fmt)), value in zip(plan, values, strict=True):
            if value is not None and value != "":
                write(count, index, convert(value) if convert else value, fmt)
    write_help(workbook, formats)
    add_drop_downs(
        workbook,
        sheet,
        rows=count + EXTRA_VALIDATED_ROWS,
        butlers=sorted(set(butler_labels().values())),
        departments=list(Department.objects.values_list("name", flat=True)),
    )
    workbook.close()
    return count


def _scoped(actor, queryset_or_filters) -> QuerySet[Project]:
    if queryset_or_filters is None:
        return project_for_user(actor)
    if isinstance(queryset_or_filters, QuerySet):
        # Note: the caller's queryset narrows the scope, never widens it.
        return project_for_user(actor).filter(pk__in=queryset_or_filters.values("pk"))
    return project_list_visible(user=actor, **queryset_or_filters)


# (the sheet's write method, a conversion of the stored value or None, the cell format or None)
CellWriter = tuple[Callable[..., Any], Callable[[Any], Any] | None, Any]


def _cell_writers(sheet, formats: Formats) -> list[CellWriter]:
    """How each exported column (after 序号) is written, chosen once for the whole sheet."""
    butlers = butler_labels()
    departments = dict(Department.all_objects.values_list("pk", "name"))
    return [_cell_writer(column, sheet, formats, butlers, departments) for column in PROJECT_COLUMNS[1:]]


def _cell_writer(column: Column, sheet, formats: Formats, butlers: dict, departments: dict) -> CellWriter:
    if column.kind in (AMOUNT, NUMBER):
        return sheet.write_number, float, formats.amount
    if column.kind == DATE:
        return sheet.write_datetime, None, formats.date
    if column.kind == YEAR:
        return sheet.write_number, None, None
    labels: Mapping[Any, str] | None = {True: "是", False: "否"} if column.kind == BOOL else None
    if column.kind == CHOICE:
        labels = dict(column.choices())
    elif column.kind == USER:
        labels = butlers
    elif column.kind == DEPARTMENT:
        labels = departments
    if labels is not None:
        return sheet.write_string, lambda value: labels.get(value, str(value)), None
    return sheet.write_string, None, formats.wrap if column.multiline else None


# ------------------------------------------------------------------------------------------ plain tables

TEXT_CELL, INT_CELL, AMOUNT_CELL, RATE_CELL, POINTS_CELL, DATE_CELL = (
    "text",
    "int",
    "amount",
    "rate",
    "pts",
    "date",
)
NO_VALUE = "—"  # a rate without a denominator


def write_table(workbook, formats: Formats, name: str, columns, rows, *, title: str = "") -> None:
    """A sheet with a frozen header (below an optional title line) and typed columns.

    ``columns``: (header, width, cell kind) triples; ``rows``: tuples in that order (None → empty or "—").
    """
    sheet = workbook.add_worksheet(name)
    top = 0
    if title:
        sheet.write_string(0, 0, title, formats.title)
        top = 1
    for index, (header, width, _kind) in enumerate(columns):
        sheet.write_string(top, index, header, formats.header)
        sheet.set_column(index, index, width)
    sheet.freeze_panes(top + 1, 0)
    sheet.set_row(top, 32)
    kinds = [kind for _header, _width, kind in columns]
    last = top
    for last, values in enumerate(rows, start=top + 1):
        for index, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            write_typed(sheet, last, index, value, kind, formats)
    sheet.autofilter(top, 0, last, len(columns) - 1)


def write_typed(sheet, row: int, col: int, value, kind: str, formats: Formats) -> None:
    if value is None or value == "":
        if kind in (RATE_CELL, POINTS_CELL):
            sheet.write_string(row, col, NO_VALUE)
        return
    if kind == AMOUNT_CELL:
        sheet.write_number(row, col, float(value), formats.amount)
    elif kind == RATE_CELL:
        sheet.write_number(row, col, float(value), formats.percent)
    elif kind == POINTS_CELL:
        sheet.write_number(row, col, float(value), formats.points)
    elif kind == INT_CELL:
        sheet.write_number(row, col, value)
    elif kind == DATE_CELL:
        sheet.write_datetime(row, col, value, formats.date)
    else:
        sheet.write_string(row, col, str(value))
