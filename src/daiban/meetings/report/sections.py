"""The report's sections as typed tables, so the Word document, the workbook and the page show the same rows.

Each column is (header, width, kind) with the kinds of ``projects.excel.exporting`` (text, int, amount in
万元, rate as a share, points, date); ``cell_text`` renders a value the way the Word document prints it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from daiban.core.pacing import NO_VALUE, format_rate
from daiban.meetings.report.figures import LIST_LIMIT, DispatchReport, IssueRow, LightChange
from daiban.projects.excel.exporting import (
    AMOUNT_CELL,
    DATE_CELL,
    INT_CELL,
    POINTS_CELL,
    RATE_CELL,
    TEXT_CELL,
)

LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "": "未评估"}


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # the heading in Word, the sheet name in Excel (≤ 31 characters)
    columns: tuple[tuple[str, int, str], ...]
    rows: tuple[tuple, ...]
    note: str = ""


def cell_text(value, kind: str) -> str:
    if value is None or value == "":
        return NO_VALUE if kind in (RATE_CELL, POINTS_CELL) else ""
    if kind == AMOUNT_CELL:
        return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    if kind == RATE_CELL:
        return format_rate(Decimal(value))
    if kind == POINTS_CELL:
        return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):+}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def report_sections(report: DispatchReport) -> list[Section]:
    return [
        _summary(report),
        _changes(report),
        _flagged(report),
        _overdue(report),
        _issues("open_issues", "在办协调事项", report.open_issues, report.open_issue_total),
        _issues("escalated_issues", "督办升级事项", report.escalated_issues, len(report.escalated_issues)),
        _issue_departments(report),
        _investment(report),
    ]


def _summary(report: DispatchReport) -> Section:
    f, s = report.figures, report.investment
    rows = [
        ("清单项目（个）", f.project_count, INT_CELL),
        *((f"其中：{t.label}（个）", t.count, INT_CELL) for t in f.by_category),
        *((f"{t.label}项目（个）", t.count, INT_CELL) for t in f.by_light),
        ("逾期办件（件）", f.overdue_total, INT_CELL),
        ("涉及逾期办件的项目（个）", f.overdue_projects, INT_CELL),
        ("本期新开工项目（个）", len(report.new_starts), INT_CELL),
        ("本期达到节点（个次）", report.milestone_total, INT_CELL),
        ("本期转为红灯（个）", len(report.turned_red), INT_CELL),
        ("本期转为绿灯（个）", len(report.turned_green), INT_CELL),
        ("在办协调事项（件）", report.open_issue_total, INT_CELL),
        ("督办升级事项（件）", len(report.escalated_issues), INT_CELL),
        ("年度计划投资（万元）", s.annual_plan, AMOUNT_CELL),
        (f"1–{s.month}月完成投资（万元）", s.completed, AMOUNT_CELL),
        ("投资完成率", s.rates.investment_completion_rate, RATE_CELL),
        ("序时进度", s.schedule_share, RATE_CELL),
    ]
    return Section(
        "summary",
        "总体情况",
        (("指标", 30, TEXT_CELL), ("数值", 18, "mixed")),
        tuple((label, (value, kind)) for label, value, kind in rows),
        note=f"{f.year} 年项目清单；投资截至 {s.as_of:%Y年%m月%d日}（{f.month} 月月报）；逾期办件为当前数。",
    )


def _changes(report: DispatchReport) -> Section:
    rows = [(m.kind_name, m.project_name, m.actual_on) for m in report.milestones[:LIST_LIMIT]]
    rows += [_light_row(change) for change in (*report.turned_red, *report.turned_green)][:LIST_LIMIT]
    by_kind = "，".join(f"{k.name} {k.count} 个" for k in report.milestones_by_kind if k.count) or "无"
    return Section(
        "changes",
        "本期变化",
        (("变化", 16, TEXT_CELL), ("项目", 40, TEXT_CELL), ("日期", 12, DATE_CELL)),
        tuple(rows),
        note=f"新开工 {len(report.new_starts)} 个；达到节点：{by_kind}；"
        f"转为红灯 {len(report.turned_red)} 个，转为绿灯 {len(report.turned_green)} 个。",
    )


def _light_row(change: LightChange) -> tuple:
    old = LIGHT_NAMES.get(change.old, change.old)
    return (f"{old}→{LIGHT_NAMES.get(change.new, change.new)}", change.project_name, change.on)


def _flagged(report: DispatchReport) -> Section:
    f = report.figures
    rows = tuple(
        (LIGHT_NAMES.get(p.light, p.light), p.name, "；".join(p.reasons), p.department, p.butler)
        for p in f.flagged
    )
    more = f"（列出前 {len(f.flagged)} 个）" if len(f.flagged) < f.flagged_total else ""
    return Section(
        "flagged",
        "红黄灯项目",
        (
            ("灯", 6, TEXT_CELL),
            ("项目", 36, TEXT_CELL),
            ("原因", 40, TEXT_CELL),
            ("责任单位", 20, TEXT_CELL),
            ("管家", 10, TEXT_CELL),
        ),
        rows,
        note=f"红灯 {f.light_count('red')} 个，黄灯 {f.light_count('yellow')} 个，"
        f"共 {f.flagged_total} 个{more}。",
    )


def _overdue(report: DispatchReport) -> Section:
    f = report.figures
    rows = tuple((d.label, d.overdue, d.average_days, d.max_days, d.projects) for d in f.departments)
    return Section(
        "overdue",
        "逾期办件（按审批部门）",
        (
            ("审批部门", 30, TEXT_CELL),
            ("逾期办件", 10, INT_CELL),
            ("平均超期（天）", 14, "decimal"),
            ("最长（天）", 10, INT_CELL),
            ("涉及项目", 10, INT_CELL),
        ),
        rows,
        note=f"逾期办件共 {f.overdue_total} 件，涉及 {f.overdue_projects} 个项目。",
    )


def _issues(key: str, title: str, issues: tuple[IssueRow, ...], total: int) -> Section:
    issues = issues[:LIST_LIMIT]
    more = f"（列出前 {len(issues)} 件）" if len(issues) < total else ""
    rows = tuple(
        (
            i.project_name,
            i.title,
            i.department,
            i.status,
            f"{i.level} 级" if i.level else "未升级",
            i.due_on,
            i.overdue_days,
        )
        for i in issues
    )
    return Section(
        key,
        title,
        (
            ("项目", 30, TEXT_CELL),
            ("事项", 30, TEXT_CELL),
            ("责任单位", 20, TEXT_CELL),
            ("状态", 8, TEXT_CELL),
            ("督办", 8, TEXT_CELL),
            ("到期日", 12, DATE_CELL),
            ("逾期天数", 10, INT_CELL),
        ),
        rows,
        note=f"共 {total} 件{more}，督办级别高、逾期久的在前；逾期天数按报告截止日计。",
    )


def _issue_departments(report: DispatchReport) -> Section:
    rows = tuple(
        (d.department, d.raised, d.resolved, d.resolved_on_time, d.rate, d.open, d.open_overdue, d.escalated)
        for d in report.issue_departments
    )
    return Section(
        "issue_departments",
        "协调事项办理（按责任单位）",
        (
            ("责任单位", 26, TEXT_CELL),
            ("本期提出", 10, INT_CELL),
            ("本期解决", 10, INT_CELL),
            ("按期解决", 10, INT_CELL),
            ("按期解决率", 12, RATE_CELL),
            ("在办", 8, INT_CELL),
            ("在办逾期", 10, INT_CELL),
            ("督办升级", 10, INT_CELL),
        ),
        rows,
    )


def _investment(report: DispatchReport) -> Section:
    s = report.investment
    r = s.rates
    this_month = next((p.completed for p in s.series if p.month == s.month), None)
    rows = (
        ("年度投资目标（万元）", (s.target, AMOUNT_CELL)),
        ("年度计划投资（万元）", (s.annual_plan, AMOUNT_CELL)),
        (f"{s.month}月完成投资（万元）", (this_month, AMOUNT_CELL)),
        (f"1–{s.month}月累计完成投资（万元）", (s.completed, AMOUNT_CELL)),
        ("完成目标比例", (s.target_completion_rate, RATE_CELL)),
        ("序时进度", (s.schedule_share, RATE_CELL)),
        ("序时计划投资（万元）", (s.schedule_amount, AMOUNT_CELL)),
        ("快慢（百分点）", (s.gap_points, POINTS_CELL)),
        ("开工率", (r.start_rate, RATE_CELL)),
        ("投资完成率", (r.investment_completion_rate, RATE_CELL)),
        ("资金到位率", (r.funds_in_place_rate, RATE_CELL)),
        ("按期竣工率", (r.on_time_completion_rate, RATE_CELL)),
    )
    return Section(
        "investment",
        "投资完成与四率",
        (("指标", 30, TEXT_CELL), ("数值", 18, "mixed")),
        rows,
        note=f"开工率 已开工 {r.started} / 新开工项目 {r.new_starts} 个；"
        f"按期竣工率 按期竣工 {r.completed_on_time} / 应竣工 {r.due_to_complete} 个。",
    )


def row_texts(section: Section) -> list[list[str]]:
    """The section's rows as printed text (for Word and the page)."""
    texts = []
    for row in section.rows:
        out = []
        for value, (_, _, kind) in zip(row, section.columns, strict=True):
            if kind == "mixed":
                value, kind = value
            out.append(cell_text(value, kind))
        texts.append(out)
    return texts
