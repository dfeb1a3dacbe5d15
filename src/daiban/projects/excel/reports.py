"""Report workbooks: the monthly investment report and the overdue approval cases.

The figures come from the same selectors as the dashboard (``investment.selectors``), scoped to the actor,
so the workbook and the screen cannot disagree.
"""

from __future__ import annotations

from typing import IO

from daiban.approvals.models import ApprovalCase, SlaState
from daiban.investment.selectors import (
    InvestmentRow,
    InvestmentSummary,
    ProjectInvestmentRow,
    investment_by_department,
    investment_by_project,
    investment_summary,
)
from daiban.projects.choices import Category
from daiban.projects.excel.exporting import (
    AMOUNT_CELL,
    DATE_CELL,
    INT_CELL,
    POINTS_CELL,
    RATE_CELL,
    TEXT_CELL,
    write_table,
    write_typed,
)
from daiban.projects.excel.template import Formats, open_workbook


def investment_export(*, actor, stream: str | IO[bytes], year: int, month: int) -> None:
    """汇总 (district figures and the 四率), 分项目, 分部门 and 月度走势 sheets as of the end of ``month``."""
    summary = investment_summary(user=actor, year=year, month=month)
    workbook = open_workbook(stream)
    formats = Formats(workbook)
    title = f"{year}年1–{month}月重大项目投资完成情况（截至 {summary.as_of:%Y-%m-%d}）"
    _write_summary(workbook, formats, _summary_rows(summary), title)
    span = f"1–{month}月"
    write_table(
        workbook,
        formats,
        "分项目",
        _row_columns("项目名称", span, by_project=True),
        _project_rows(investment_by_project(user=actor, year=year, month=month)),
        title=title,
    )
    write_table(
        workbook,
        formats,
        "分部门",
        _row_columns("责任单位", span, by_project=False),
        _department_rows(investment_by_department(user=actor, year=year, month=month)),
        title=title,
    )
    write_table(workbook, formats, "月度走势", _SERIES_COLUMNS, _series_rows(summary), title=title)
    workbook.close()


def _write_summary(workbook, formats: Formats, rows, title: str) -> None:
    """指标 | 数值 | 说明, each value written in its own kind (amount, rate, count)."""
    sheet = workbook.add_worksheet("汇总")
    sheet.write_string(0, 0, title, formats.title)
    for index, (header, width) in enumerate((("指标", 28), ("数值", 18), ("说明", 60))):
        sheet.write_string(1, index, header, formats.header)
        sheet.set_column(index, index, width)
    sheet.freeze_panes(2, 0)
    for row, (label, value, kind, note) in enumerate(rows, start=2):
        sheet.write_string(row, 0, label)
        write_typed(sheet, row, 1, value, kind, formats)
        if note:
            sheet.write_string(row, 2, note)


def _summary_rows(summary: InvestmentSummary):
    rates = summary.rates
    rows = [
        ("项目数", summary.project_count, INT_CELL, "本年度清单项目（不含储备）"),
        ("年度计划投资（万元）", summary.annual_plan, AMOUNT_CELL, ""),
        (f"1–{summary.month}月完成投资（万元）", summary.completed, AMOUNT_CELL, "各月填报之和"),
        ("序时进度", summary.schedule_share, RATE_CELL, f"{summary.month}月末应完成年度计划的比例"),
        ("序时计划投资（万元）", summary.schedule_amount, AMOUNT_CELL, "年度计划 × 序时进度"),
        ("投资完成率", rates.investment_completion_rate, RATE_CELL, "完成投资 / 年度计划"),
        ("与序时进度差（百分点）", summary.gap_points, POINTS_CELL, "负数为滞后于序时进度"),
        ("到位资金（万元）", summary.funds_in_place, AMOUNT_CELL, ""),
        (
            "开工率",
            rates.start_rate,
            RATE_CELL,
            f"新开工项目 {rates.new_starts} 个，已开工 {rates.started} 个",
        ),
        ("资金到位率", rates.funds_in_place_rate, RATE_CELL, "到位资金 / 年度计划"),
        (
            "按期竣工率",
            rates.on_time_completion_rate,
            RATE_CELL,
            f"应竣工 {rates.due_to_complete} 个，按期竣工 {rates.completed_on_time} 个",
        ),
    ]
    if summary.target is not None:
        rows.append(("全区投资目标（万元）", summary.target, AMOUNT_CELL, ""))
        rows.append(("目标完成率", summary.target_completion_rate, RATE_CELL, "完成投资 / 全区目标"))
    return rows


def _row_columns(label: str, span: str, *, by_project: bool):
    if by_project:
        leading = [("序号", 6, INT_CELL), (label, 36, TEXT_CELL), ("项目代码", 26, TEXT_CELL)]
        leading += [("项目类别", 10, TEXT_CELL), ("责任单位", 16, TEXT_CELL), ("项目管家", 10, TEXT_CELL)]
    else:
        leading = [(label, 24, TEXT_CELL), ("项目数", 8, INT_CELL)]
    return [
        *leading,
        ("年度计划投资（万元）", 16, AMOUNT_CELL),
        ("当月完成（万元）", 14, AMOUNT_CELL),
        (f"{span}完成（万元）", 14, AMOUNT_CELL),
        ("到位资金（万元）", 14, AMOUNT_CELL),
        ("投资完成率", 10, RATE_CELL),
        ("序时进度", 10, RATE_CELL),
        ("与序时进度差（百分点）", 12, POINTS_CELL),
        ("进度", 8, TEXT_CELL),
    ]


def _figures(row: InvestmentRow) -> tuple:
    pace = "滞后" if row.behind_schedule else ("正常" if row.gap_points is not None else "")
    return (
        row.annual_plan,
        row.month_amount,
        row.completed,
        row.funds_in_place,
        row.completion,
        row.schedule_share,
        row.gap_points,
        pace,
    )


def _project_rows(rows: list[ProjectInvestmentRow]):
    categories = dict(Category.choices)
    for number, row in enumerate(rows, start=1):
        category = categories.get(row.category, row.category)
        yield (number, row.label, row.project_code, category, row.department, row.butler, *_figures(row))


def _department_rows(rows: list[InvestmentRow]):
    for row in rows:
        yield (row.label, row.project_count, *_figures(row))


_SERIES_COLUMNS = (
    ("月份", 8, INT_CELL),
    ("当月完成（万元）", 16, AMOUNT_CELL),
    ("累计完成（万元）", 16, AMOUNT_CELL),
    ("序时进度", 10, RATE_CELL),
    ("序时计划投资（万元）", 18, AMOUNT_CELL),
)


def _series_rows(summary: InvestmentSummary):
    for point in summary.series:
        yield (point.month, point.completed, point.cumulative, point.schedule_share, point.pace)


# ------------------------------------------------------------------------------------------ overdue

_OVERDUE_COLUMNS = (
    ("序号", 6, INT_CELL),
    ("项目名称", 36, TEXT_CELL),
    ("项目代码", 26, TEXT_CELL),
    ("项目管家", 10, TEXT_CELL),
    ("审批事项", 32, TEXT_CELL),
    ("审批部门", 18, TEXT_CELL),
    ("受理日期", 12, DATE_CELL),
    ("到期日", 12, DATE_CELL),
    ("逾期天数", 10, INT_CELL),
)


def overdue_cases(*, user):
    """The overdue approval cases the user may see, most overdue first."""
    return (
        ApprovalCase.objects.for_user(user)
        .filter(sla_state=SlaState.OVERDUE, project__deleted_at__isnull=True)
        .select_related("project", "project__butler", "department")
        .order_by("-overdue_days", "due_on", "project__name", "pk")
    )


def overdue_export(*, actor, stream: str | IO[bytes]) -> int:
    """逾期办件 sheet: project, item, department, accepted, due, days overdue; returns the number of cases."""
    cases = list(overdue_cases(user=actor))
    workbook = open_workbook(stream)
    write_table(workbook, Formats(workbook), "逾期办件", _OVERDUE_COLUMNS, _overdue_rows(cases))
    workbook.close()
    return len(cases)


def _overdue_rows(cases: list[ApprovalCase]):
    for number, case in enumerate(cases, start=1):
        project = case.project
        department = case.department.name if case.department else case.department_name
        butler = project.butler.display_name if project.butler else ""
        yield (number, project.name, project.project_code, butler, case.name, department, case.accepted_on,
               case.due_on, case.overdue_days)  # fmt: skip
