"""The issue pages in a real browser (Debian's chromium, playwright, the live test server): the project page
loads the 协调事项 card; on the issue page 办结 works in place (htmx), a stale form says who changed the
issue; nothing is fetched from outside 127.0.0.1 and the console stays clean (``pytest -m browser``)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from daiban.coordination.models import CoordinationIssue, IssueStatus
from daiban.coordination.services import issue_start

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, raise_issue, water_specialist, users, milestone_kinds):
    return raise_issue(assignee=water_specialist)


def test_project_card_resolve_in_place_and_conflict(browser_page, world, water_specialist):
    issue = world
    page = browser_page("butler")
    page.goto(f"{page.base}/projects/{issue.project_id}/")
    card = page.locator("#project-issues-card")
    card.wait_for()
    assert "施工用水用电临时接入" in card.inner_text() and "新增协调事项" in card.inner_text()
    page.screenshot(path="/tmp/coord-browser-project.png", full_page=True)

    page.goto(f"{page.base}/issues/{issue.pk}/")
    page.click("summary:has-text('办结')")
    issue_start(actor=water_specialist, issue=issue, expected_version=1)  # meanwhile, in another office
    page.fill("#resolution", "已接入临时水表")
    page.click("button:has-text('确认办结')")
    page.wait_for_selector(".outcome")
    assert "已被 陈水务" in page.locator(".outcome").inner_text()
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.IN_PROGRESS

    # The answer carried the fresh version: the same form now saves, without a page load.
    page.click("summary:has-text('办结')")
    page.fill("#resolution", "已接入临时水表")
    page.click("button:has-text('确认办结')")
    page.wait_for_selector(".outcome.success")
    assert "已接入临时水表" in page.locator(".issue-resolution").inner_text()
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.RESOLVED
    page.screenshot(path="/tmp/coord-browser-issue.png", full_page=True)
    # The browser logs the refused answer itself (409); anything else would be a script error.
    assert [error for error in page.errors if "409 (Conflict)" not in error] == []
    assert [url for url in page.requests if urlsplit(url).hostname != "127.0.0.1"] == []
