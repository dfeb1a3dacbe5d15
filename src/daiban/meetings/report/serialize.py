"""The report as JSON-safe data: the API's answer and the snapshot a held meeting keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from daiban.meetings.report.figures import DispatchReport


def plain(value):
    """Dataclasses, tuples, Decimals and dates as JSON values (Decimal as a string: exact)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def report_as_dict(report: DispatchReport) -> dict:
    figures, summary = report.figures, report.investment
    rates = summary.rates
    return {
        "date_from": report.date_from.isoformat(),
        "date_to": report.date_to.isoformat(),
        "year": figures.year,
        "month": figures.month,
        "project_count": figures.project_count,
        "by_category": plain(figures.by_category),
        "by_milestone": plain(figures.by_milestone),
        "by_light": plain(figures.by_light),
        "flagged_total": figures.flagged_total,
        "flagged": plain(figures.flagged),
        "overdue_total": figures.overdue_total,
        "overdue_projects": figures.overdue_projects,
        "overdue_departments": plain(figures.departments),
        "investment": {
            "as_of": summary.as_of.isoformat(),
            "target": plain(summary.target),
            "annual_plan": plain(summary.annual_plan),
            "completed": plain(summary.completed),
            "funds_in_place": plain(summary.funds_in_place),
            "schedule_share": plain(summary.schedule_share),
            "schedule_amount": plain(summary.schedule_amount),
            "target_completion_rate": plain(summary.target_completion_rate),
            "gap_points": plain(summary.gap_points),
        },
        "four_rates": {
            **plain(rates),
            "start_rate": plain(rates.start_rate),
            "investment_completion_rate": plain(rates.investment_completion_rate),
            "funds_in_place_rate": plain(rates.funds_in_place_rate),
            "on_time_completion_rate": plain(rates.on_time_completion_rate),
        },
        "new_starts": plain(report.new_starts),
        "milestones": plain(report.milestones),
        "milestones_by_kind": plain(report.milestones_by_kind),
        "turned_red": plain(report.turned_red),
        "turned_green": plain(report.turned_green),
        "open_issue_total": report.open_issue_total,
        "open_issues": plain(report.open_issues),
        "escalated_issues": plain(report.escalated_issues),
        "issue_departments": plain(report.issue_departments),
    }
