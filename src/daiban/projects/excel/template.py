"""The downloadable 项目清单 template, and the sheet layout the project export shares with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from daiban.projects.excel.columns import (
    AMOUNT,
    BOOL,
    CHOICE,
    DATE,
    DEPARTMENT,
    NUMBER,
    PROJECT_COLUMNS,
    TEXT,
    USER,
    YEAR,
    Column,
    choice_labels,
)

SHEET_NAME = "项目清单"
HELP_SHEET_NAME = "说明"
LISTS_SHEET_NAME = "选项"
VALIDATED_ROWS = 2000  # rows below the header that get drop-downs in the template
EXAMPLE_MARK = "示例"

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def open_workbook(target: str | IO[bytes]) -> Workbook:
    """An XlsxWriter workbook on a path or a binary stream (kept in memory, then written once)."""
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    return xlsxwriter.Workbook(target, options)


class Formats:
    """The cell formats of one workbook (XlsxWriter formats belong to the workbook that made them)."""

    def __init__(self, workbook: Workbook) -> None:
        add = workbook.add_format
        self.header = add({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                           "bg_color": "#DDEBF7", "border": 1})  # fmt: skip
        self.required_header = add({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                                    "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"})  # fmt: skip
        self.text = add({"num_format": "@"})
        self.amount = add({"num_format": AMOUNT_FORMAT})
        self.date = add({"num_format": DATE_FORMAT})
        self.integer = add({"num_format": "0"})
        self.percent = add({"num_format": "0.0%"})
        self.points = add({"num_format": "+0.0;-0.0;0.0"})
        self.example = add({"italic": True, "font_color": "#808080"})
        self.example_amount = add({"italic": True, "font_color": "#808080", "num_format": AMOUNT_FORMAT})
        self.example_date = add({"italic": True, "font_color": "#808080", "num_format": DATE_FORMAT})
        self.title = add({"bold": True, "font_size": 14})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.bold = add({"bold": True})

    def for_column(self, column: Column):
        if column.kind in (AMOUNT, NUMBER):
            return self.amount
        if column.kind == DATE:
            return self.date
        if column.kind == YEAR:
            return self.integer
        return None


def write_header(
    worksheet: Worksheet, formats: Formats, headers: Sequence[str], widths: Sequence[float], required=()
) -> None:
    """Header in row 0, frozen, with column widths and an autofilter."""
    for index, (header, width) in enumerate(zip(headers, widths, strict=True)):
        fmt = formats.required_header if header in required else formats.header
        worksheet.write_string(0, index, header, fmt)
        worksheet.set_column(index, index, width)
    worksheet.set_row(0, 32)
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, 0, len(headers) - 1)


def add_project_sheet(workbook: Workbook, formats: Formats) -> Worksheet:
    """The 项目清单 sheet with its header, widths and column formats."""
    worksheet = workbook.add_worksheet(SHEET_NAME)
    required = [column.header for column in PROJECT_COLUMNS if column.required]
    write_header(
        worksheet,
        formats,
        [column.header for column in PROJECT_COLUMNS],
        [column.width for column in PROJECT_COLUMNS],
        required,
    )
    for index, column in enumerate(PROJECT_COLUMNS):
        fmt = formats.for_column(column)
        if fmt is not None:
            worksheet.set_column(index, index, column.width, fmt)
    return worksheet


def add_drop_downs(
    workbook: Workbook,
    worksheet: Worksheet,
    *,
    rows: int,
    butlers: Sequence[str] = (),
    departments: Sequence[str] = (),
) -> None:
    """Drop-downs and input hints on ``rows`` data rows (their lists go on a hidden last sheet)."""
    lists = _write_lists(workbook, {USER: butlers, DEPARTMENT: departments})
    for index, column in enumerate(PROJECT_COLUMNS):
        validation = _validation(column, lists)
        if validation:
            worksheet.data_validation(1, index, max(rows, 1), index, validation)


def _write_lists(workbook: Workbook, extra: dict[str, Sequence[str]]) -> dict[str, str]:
    """Drop-down values on a hidden sheet (an inline list is limited to 255 characters); key → range."""
    sheet = workbook.add_worksheet(LISTS_SHEET_NAME)
    ranges: dict[str, str] = {}
    lists = [(column.key, choice_labels(column)) for column in PROJECT_COLUMNS]
    lists += [(kind, list(values)) for kind, values in extra.items()]
    for index, (key, values) in enumerate(item for item in lists if item[1]):
        sheet.write_string(0, index, key)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, index, value)
        letter = xlsxwriter.utility.xl_col_to_name(index)
        ranges[key] = f"='{LISTS_SHEET_NAME}'!${letter}$2:${letter}${len(values) + 1}"
    sheet.hide()
    return ranges


def _validation(column: Column, lists: dict[str, str]) -> dict | None:
    prompt = {"input_title": column.header[:32], "input_message": column.help[:255]} if column.help else {}
    if column.kind in (CHOICE, BOOL) and column.key in lists:
        return {
            "validate": "list",
            "source": lists[column.key],
            "error_message": "请从下拉列表中选择",
            **prompt,
        }
    soft_list = lists.get(column.kind) if column.kind in (USER, DEPARTMENT) else lists.get(column.key)
    if soft_list and column.kind in (TEXT, USER, DEPARTMENT):
        # Note: a warning, not a stop: the list is a suggestion and may be out of date.
        return {"validate": "list", "source": soft_list, "error_type": "warning", **prompt}
    if column.kind in (AMOUNT, NUMBER):
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                "error_message": "应为不小于 0 的数字", **prompt}  # fmt: skip
    if column.kind == DATE:
        return {"validate": "date", "criteria": "between", "minimum": dt.date(1949, 10, 1),
                "maximum": dt.date(2100, 12, 31), "error_type": "warning", "error_message": "应为日期",
                **prompt}  # fmt: skip
    if prompt:
        return {"validate": "any", **prompt}
    return None


def template_write(
    target: str | IO[bytes], *, butlers: Sequence[str] = (), departments: Sequence[str] = ()
) -> None:
    """Write the 项目清单 template (one example row, drop-downs, a 说明 sheet) to a path or binary stream.

    ``butlers`` and ``departments`` (names) add soft drop-downs for those columns when given.
    """
    workbook = open_workbook(target)
    formats = Formats(workbook)
    worksheet = add_project_sheet(workbook, formats)
    _write_example(worksheet, formats)
    write_help(workbook, formats)
    add_drop_downs(workbook, worksheet, rows=VALIDATED_ROWS, butlers=butlers, departments=departments)
    worksheet.activate()
    workbook.close()


def _write_example(worksheet: Worksheet, formats: Formats) -> None:
    for index, column in enumerate(PROJECT_COLUMNS):
        value = column.example
        if value == "" or value is None:
            continue
        if column.kind in (AMOUNT, NUMBER):
            worksheet.write_number(1, index, float(value), formats.example_amount)
        elif column.kind == YEAR:
            worksheet.write_number(1, index, int(value), formats.example)
        elif column.kind == DATE:
            worksheet.write_datetime(1, index, value, formats.example_date)
        else:
            worksheet.write_string(1, index, str(value), formats.example)


HELP_LINES = (
    "1. 第一行是表头；列的顺序可以调整，多余的列会被忽略；表头上方可以有标题行。",
    "2. 红色表头为必填列。“序号”写“示例”的行是示例，不会导入，可以删除。",
    "3. 有项目代码的按项目代码匹配已有项目，没有的按“项目名称 + 项目单位”匹配；匹配到的更新，否则新建。",
    "4. 金额默认单位为万元；表头写成“总投资（亿元）”时按亿元换算。数字可以是文本，全角数字也可以。",
    "5. 日期可写 2026-03-05、2026/3/5、2026年3月5日，或 Excel 日期。是否类的列可写 是/否、Y/N、√/×。",
    "6. 导入是“全部或全不”：只要有一行有错，就不写入任何数据，并列出每个问题所在的行和列。",
    "7. 单元格留空：可以为空的项（如建设地点、项目管家、计划开工日期）被清空；清单年度、投资类型、立项方式、"
    "金额和是否类的列留空则保持原值（新项目取默认值）。项目代码一经填写，导入不会清除。",
)


def write_help(workbook: Workbook, formats: Formats) -> None:
    sheet = workbook.add_worksheet(HELP_SHEET_NAME)
    sheet.write_string(0, 0, "项目清单填写说明", formats.title)
    for row, line in enumerate(HELP_LINES, start=1):
        sheet.write_string(row, 0, line)
    top = len(HELP_LINES) + 2
    headers = ("列名", "必填", "可选值 / 格式", "也可写作", "说明")
    for index, (header, width) in enumerate(zip(headers, (20, 6, 48, 40, 48), strict=True)):
        sheet.write_string(top, index, header, formats.header)
        sheet.set_column(index, index, width, formats.wrap)
    for row, column in enumerate(PROJECT_COLUMNS, start=top + 1):
        values = (column.header, "是" if column.required else "", _format_hint(column),
                  "、".join(column.synonyms), column.help)  # fmt: skip
        for index, value in enumerate(values):
            sheet.write_string(row, index, value)


def _format_hint(column: Column) -> str:
    labels = choice_labels(column)
    hints = {
        AMOUNT: "数字，单位万元（表头可改为亿元）",
        NUMBER: "数字",
        DATE: "日期",
        YEAR: "四位年份",
        USER: "系统中的用户姓名或用户名",
        DEPARTMENT: "系统中的部门名称或简称",
    }
    if column.kind in (CHOICE, BOOL):
        return "、".join(labels)
    if labels:
        return "建议：" + "、".join(labels)
    return hints.get(column.kind, "文本")
