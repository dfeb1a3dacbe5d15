"""The pages in a real browser: Debian's chromium driven by playwright against the live test server.

Sign-in per role, the dashboard's charts (drawn, no console error, nothing fetched from outside 127.0.0.1),
filter and export on the project list, recording a decision on the project page moving the Gantt, and a
forbidden project answering 404. Run alone with ``pytest -m browser``.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import (
    case_record_acceptance,
    case_record_submission,
    cases_generate,
    common,
    tick,
)
from daiban.investment.services import investment_record

T0 = dt.date(2026, 3, 2)  # the services' pinned "today": a Monday, no holiday in March 2026
VIEWPORT = (1440, 900)

pytestmark = pytest.mark.browser


def outside_requests(page) -> list[str]:
    return [url for url in page.requests if urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def world(transactional_db, monkeypatch, users, project, other_project, milestone_kinds):
    """张三's project: handbook generated, one case accepted, two months of investment; 李四's project."""
    monkeypatch.setattr(common, "today", lambda: T0)
    for each in (project, other_project):
        cases_generate(actor=None, project=each)
    relic = ApprovalCase.objects.get(project=project, item_code="cultural_relic_survey")
    relic = case_record_submission(actor=None, case=relic, expected_version=relic.version, submitted_on=T0)
    case_record_acceptance(actor=None, case=relic, expected_version=relic.version, accepted_on=T0)
    for month in (1, 2):
        investment_record(
            actor=None, project=project, year=2026, month=month, amount="900.00", funds_in_place="500.00"
        )
    tick(today=T0)
    return {"project": project, "other_project": other_project, "users": users}


def gantt_bar(page, code: str) -> list:
    """The current-plan bar of one case as the page's Gantt data says: [start, finish, critical]."""
    rows = json.loads(page.locator("#gantt-data").get_attribute("data-json"))["rows"]
    return next(row["current"] for row in rows if row["code"] == code)


# The start (ms) of a case's current-plan bar as drawn by the ECharts instance itself.
BAR_START = """code => {
    const chart = echarts.getInstanceByDom(document.getElementById("gantt-chart"));
    for (const series of chart ? chart.getOption().series : []) {
        for (const item of series.data || []) {
            if (item.row && item.row.code === code && item.lane === "current") return item.value[1];
        }
    }
    return null;
}"""


# ------------------------------------------------------------------------------------------ tests


HOMES = {
    "admin": "/dashboard/",
    "leader": "/dashboard/",
    "dispatcher": "/dashboard/",
    "butler": "/todo/",
    "specialist": "/todo/",
    "ent": "/projects/",
}


def test_each_role_signs_in_to_its_home(browser_page, world):
    for username, home in HOMES.items():
        page = browser_page(username, viewport=VIEWPORT)
        assert urlsplit(page.url).path == home, username
        user = next(u for u in world["users"].values() if u.username == username)
        assert user.display_name in page.locator(".whoami").inner_text(), username
        assert page.errors == [], (username, page.errors)
        assert outside_requests(page) == []


def test_the_dashboard_draws_its_charts_from_this_server_only(browser_page, world):
    page = browser_page("leader", viewport=VIEWPORT)
    page.goto(f"{page.base}/dashboard/")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#investment-chart canvas")
    assert page.locator("canvas").count() >= 1
    assert page.errors == []
    assert outside_requests(page) == []


def test_filter_then_export_exactly_what_is_shown(browser_page, world, tmp_path):
    from python_calamine import CalamineWorkbook

    page = browser_page("dispatcher", viewport=VIEWPORT)
    page.goto(f"{page.base}/projects/")
    assert page.locator("#project-table tbody tr[data-project]").count() == 2
    page.fill("#f-q", "京南")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    shown = page.locator("#project-table tbody tr[data-project]")
    assert shown.count() == 1 and "京南生物医药产业化基地" in shown.first.inner_text()
    with page.expect_download() as download:
        page.click("#export-link")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    cells = [str(cell) for row in sheet for cell in row]
    assert any("京南生物医药产业化基地" in cell for cell in cells)
    assert not any("亦庄机器人整机制造项目" in cell for cell in cells)
    assert page.errors == [] and outside_requests(page) == []


def test_recording_a_decision_moves_the_gantt(browser_page, world):
    project = world["project"]
    relic = ApprovalCase.objects.get(project=project, item_code="cultural_relic_survey")
    page = browser_page("butler", viewport=VIEWPORT)
    page.goto(f"{page.base}/projects/{project.pk}/")
    page.wait_for_selector("#gantt-chart canvas")
    before = gantt_bar(page, "land_transfer_contract")
    drawn_before = page.evaluate(BAR_START, "land_transfer_contract")
    assert drawn_before is not None
    row = page.locator(f"#case-{relic.pk}")
    row.locator("summary").click()
    form = row.locator("form[data-action=decision]")
    form.locator("input[name=decided_on]").fill(T0.isoformat())
    with page.expect_response(lambda r: f"/cases/{relic.pk}/decision/" in r.url) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 200
    page.wait_for_selector("#project-cases .message.success")
    after = gantt_bar(page, "land_transfer_contract")
    assert after[0] < before[0]  # decided at once: the transfer contract can start earlier
    page.wait_for_function(
        f"before => ({BAR_START})('land_transfer_contract') < before", arg=drawn_before
    )  # the chart itself moved
    transfer = page.locator("tr[data-code=land_transfer_contract] .planned-start").inner_text()
    assert transfer == after[0]  # and the table shows the new date
    assert "按期办结" in page.locator(f"#case-{relic.pk}").inner_text()
    assert "考古调查勘探" in page.locator("#project-audit .audit-trail").inner_text()  # the trail shows it
    assert page.errors == [] and outside_requests(page) == []


def test_a_forbidden_project_is_404(browser_page, world):
    page = browser_page("butler2", viewport=VIEWPORT)
    response = page.goto(f"{page.base}/projects/{world['project'].pk}/")
    assert response.status == 404
    response = page.goto(f"{page.base}/projects/{world['other_project'].pk}/")
    assert response.status == 200
