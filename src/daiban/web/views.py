"""The 驾驶舱 (dashboard) page: parse year and month, call the one dashboard selector, render."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from daiban.investment.selectors import InvestmentSummary
from daiban.projects.dashboard import dashboard_default_month, dashboard_figures
from daiban.web.access import DASHBOARD_ROLES, role_required
from daiban.web.templatetags.daiban_format import yi

TEN_THOUSAND = Decimal(10_000)


def _int_param(request: HttpRequest, name: str, low: int, high: int) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _int_param(request, "year", 2000, 2100) or today.year
    month = _int_param(request, "month", 1, 12) or dashboard_default_month(user=request.user, year=year)
    figures = dashboard_figures(user=request.user, year=year, month=month)
    context = {
        "figures": figures,
        "summary": figures.investment,
        "red": figures.light_count("red"),
        "yellow": figures.light_count("yellow"),
        "rates": _rate_rows(figures.investment),
        "chart": _investment_chart(figures.investment),
        "lights_chart": [
            {"key": tally.key, "name": tally.label, "value": tally.count} for tally in figures.by_light
        ],
        "years": range(today.year + 1, today.year - 5, -1),
        "months": range(1, 13),
    }
    return render(request, "web/dashboard.html", context)


def _rate_rows(summary: InvestmentSummary) -> list[dict]:
    """The 四率 with what each is made of, as the page states them."""
    rates = summary.rates
    plan = yi(rates.annual_plan)
    return [
        {
            "label": "开工率",
            "value": rates.start_rate,
            "detail": f"已开工 {rates.started} / 新开工项目 {rates.new_starts} 个",
        },
        {
            "label": "投资完成率",
            "value": rates.investment_completion_rate,
            "detail": f"完成 {yi(rates.completed_investment)} / 计划 {plan} 亿元",
        },
        {
            "label": "资金到位率",
            "value": rates.funds_in_place_rate,
            "detail": f"到位 {yi(rates.funds_in_place)} / 计划 {plan} 亿元",
        },
        {
            "label": "按期竣工率",
            "value": rates.on_time_completion_rate,
            "detail": f"按期竣工 {rates.completed_on_time} / 应竣工 {rates.due_to_complete} 个",
        },
    ]


def _yi(value: Decimal | None) -> float | None:
    """万元 → 亿元 for the chart (floats: it is a picture, the tables carry the exact figures)."""
    return None if value is None else round(float(value / TEN_THOUSAND), 2)


def _investment_chart(summary: InvestmentSummary) -> dict:
    target_pace = [
        None if summary.target is None else _yi(summary.target * point.schedule_share)
        for point in summary.series
    ]
    return {
        "months": [f"{point.month}月" for point in summary.series],
        "completed": [_yi(point.completed) for point in summary.series],
        "cumulative": [_yi(point.cumulative) for point in summary.series],
        "pace": [_yi(point.pace) for point in summary.series],
        "targetPace": target_pace if summary.target is not None else None,
    }
