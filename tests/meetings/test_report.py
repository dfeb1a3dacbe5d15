"""The dispatch report's figures are the dashboard's, and the Word and Excel files carry those numbers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from python_calamine import CalamineWorkbook

from daiban.coordination.services import issue_raise
from daiban.core.pacing import format_rate
from daiban.meetings.report.excel import report_xlsx
from daiban.meetings.report.figures import dispatch_report
from daiban.meetings.report.sections import cell_text
from daiban.meetings.report.word import report_docx
from daiban.projects.dashboard import dashboard_default_month, dashboard_figures

FROM, TO = dt.date(2026, 6, 1), dt.date(2026, 6, 14)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(portfolio, dispatcher):
    issue_raise(
        actor=dispatcher,
        project=portfolio["red"],
        title="施工用电接入",
        category="utilities",
        department=portfolio["shuiwu"],
        deadline_days=5,
        today=dt.date(2026, 6, 2),
    )
    return dispatch_report(user=dispatcher, date_from=FROM, date_to=TO)


def test_report_figures_are_the_dashboards(report, dispatcher):
    month = dashboard_default_month(user=dispatcher, year=2026, today=TO)
    assert month == 6
    dashboard = dashboard_figures(user=dispatcher, year=2026, month=month)
    figures = report.figures
    assert figures.project_count == dashboard.project_count == 3
    assert figures.by_category == dashboard.by_category
    assert figures.by_light == dashboard.by_light
    assert figures.flagged == dashboard.flagged
    assert [p.name for p in figures.flagged] == ["京南生物医药产业化基地", "亦庄机器人整机制造项目"]
    assert figures.overdue_total == dashboard.overdue_total == 3
    assert figures.overdue_projects == dashboard.overdue_projects == 2
    assert figures.departments == dashboard.departments
    assert figures.investment == dashboard.investment
    rates, expected = figures.investment.rates, dashboard.investment.rates
    assert rates.start_rate == expected.start_rate
    assert rates.investment_completion_rate == expected.investment_completion_rate
    assert rates.funds_in_place_rate == expected.funds_in_place_rate
    assert rates.on_time_completion_rate == expected.on_time_completion_rate


def test_report_changes_in_the_period(report):
    assert [(m.project_name, m.kind_code) for m in report.new_starts] == [
        ("京南生物医药产业化基地", "started")
    ]
    assert [c.project_name for c in report.turned_red] == ["京南生物医药产业化基地"]
    assert [c.project_name for c in report.turned_green] == ["绿色产业园项目"]
    assert report.open_issue_total == 1
    assert report.open_issues[0].title == "施工用电接入"
    assert [(d.department, d.raised) for d in report.issue_departments] == [("区水务局", 1)]


def test_a_first_assessment_is_not_a_change_of_light(portfolio, other_project, leader):
    from .conftest import light_changed

    light_changed(other_project, "", "red", dt.date(2026, 6, 10))  # first assessed in the period
    report = dispatch_report(user=leader, date_from=FROM, date_to=TO)
    assert other_project.name not in [c.project_name for c in report.turned_red]


def test_report_scoped_to_a_leader_and_a_butler(portfolio, butler, leader):
    mine = dispatch_report(user=butler, date_from=FROM, date_to=TO)
    assert mine.figures.project_count == 1
    assert [c.project_name for c in mine.turned_green] == []
    assert dispatch_report(user=leader, date_from=FROM, date_to=TO).figures.project_count == 3


def _docx_text(report) -> tuple[str, list[list[str]]]:
    stream = io.BytesIO()
    report_docx(report, stream)
    document = Document(io.BytesIO(stream.getvalue()))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), cells


def test_word_report_has_the_dashboard_numbers(report, dispatcher):
    dashboard = dashboard_figures(user=dispatcher, year=2026, month=6)
    text, rows = _docx_text(report)
    assert "统计期：2026年06月01日—2026年06月14日" in text
    values = {row[0]: row[1] for row in rows if len(row) == 2}
    assert values["清单项目（个）"] == str(dashboard.project_count)
    assert values["红灯项目（个）"] == str(dashboard.light_count("red"))
    assert values["逾期办件（件）"] == str(dashboard.overdue_total)
    assert values["开工率"] == format_rate(dashboard.investment.rates.start_rate)
    assert values["投资完成率"] == format_rate(dashboard.investment.rates.investment_completion_rate)
    assert values["资金到位率"] == format_rate(dashboard.investment.rates.funds_in_place_rate)
    assert values["序时进度"] == format_rate(dashboard.investment.schedule_share)
    assert values["1–6月累计完成投资（万元）"] == cell_text(dashboard.investment.completed, "amount")
    departments = {row[0]: row[1] for row in rows if len(row) == 5 and row[1].isdigit()}
    assert departments == {d.label: str(d.overdue) for d in dashboard.departments}
    assert any(row[1] == "京南生物医药产业化基地" and "逾期" in row[2] for row in rows)
    assert "施工用电接入" in {row[1] for row in rows if len(row) == 7}


def test_excel_report_has_the_dashboard_numbers(report, dispatcher):
    dashboard = dashboard_figures(user=dispatcher, year=2026, month=6)
    stream = io.BytesIO()
    report_xlsx(report, stream)
    book = CalamineWorkbook.from_filelike(io.BytesIO(stream.getvalue()))
    assert book.sheet_names[:3] == ["总体情况", "本期变化", "红黄灯项目"]
    summary = {row[0]: row[1] for row in book.get_sheet_by_name("总体情况").to_python() if len(row) > 1}
    assert summary["清单项目（个）"] == dashboard.project_count
    assert summary["逾期办件（件）"] == dashboard.overdue_total
    assert summary["1–6月完成投资（万元）"] == pytest.approx(float(dashboard.investment.completed))
    investment = {
        row[0]: row[1] for row in book.get_sheet_by_name("投资完成与四率").to_python() if len(row) > 1
    }
    rates = dashboard.investment.rates
    assert investment["开工率"] == pytest.approx(float(rates.start_rate))
    assert investment["投资完成率"] == pytest.approx(float(rates.investment_completion_rate))
    assert investment["按期竣工率"] in ("—", pytest.approx(float(rates.on_time_completion_rate or 0)))
    overdue = book.get_sheet_by_name("逾期办件（按审批部门）").to_python()
    assert {row[0]: row[1] for row in overdue[3:]} == {d.label: d.overdue for d in dashboard.departments}
