"""In a real browser: a butler raises an issue on the issue form, days pass (the daily run, time-travelled)
until it is overdue and escalated, and a dispatcher creating the next meeting finds it on the agenda as an
escalated item. Run alone with ``pytest -m browser``; screenshots go to /tmp/meetings-*.png."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from daiban.coordination.models import CoordinationIssue
from daiban.daily import run_daily
from daiban.meetings.models import AgendaItem, Reason

pytestmark = pytest.mark.browser

VIEWPORT = (1440, 900)


def test_overdue_issue_escalates_onto_the_next_meeting(
    transactional_db, browser_page, users, project, department, milestone_kinds
):
    # The butler raises the issue on the issue form of their project.
    page = browser_page("butler", viewport=VIEWPORT)
    page.goto(f"{page.base}/issues/new/?project={project.pk}")
    page.fill("input[name=title]", "施工临时用电接入")
    page.select_option("select[name=category]", "utilities")
    page.select_option("select[name=department]", str(department.pk))
    page.fill("input[name=deadline_days]", "3")
    with page.expect_navigation():
        page.click("#issue-form button[type=submit]")
    issue = CoordinationIssue.objects.get(title="施工临时用电接入")
    assert issue.level == 0 and issue.project == project

    # Time travel: the daily run, weeks later, finds it overdue and escalates it.
    later = timezone.localdate() + dt.timedelta(days=30)
    run_daily(today=later)
    issue.refresh_from_db()
    assert issue.level >= 1

    # The dispatcher previews and creates the next meeting: the issue is on its agenda as escalated.
    page = browser_page("dispatcher", viewport=VIEWPORT)
    page.goto(f"{page.base}/meetings/new/?held_on={later + dt.timedelta(days=1)}")
    preview = page.locator("#agenda-preview")
    assert "施工临时用电接入" in preview.inner_text()
    with page.expect_navigation():
        page.click("#create-button")
    group = page.locator("#group-escalated_issue")
    assert "施工临时用电接入" in group.inner_text()
    assert f"督办 {issue.level} 级" in group.inner_text()
    page.screenshot(path="/tmp/meetings-agenda.png", full_page=True)
    item = AgendaItem.objects.get(issue=issue)
    assert item.reason == Reason.ESCALATED_ISSUE

    # Decide the item in place (htmx): a milestone commitment for the project.
    article = page.locator(f"#item-{item.pk}")
    article.locator(".decide-open").click()
    article.locator("textarea[name=discussion]").fill("供电公司承诺两周内接入")
    article.locator("select[name=kind]").select_option("note")
    article.locator("input[name=text]").fill("水务局、供电公司两周内完成接入")
    article.locator("button[type=submit]").click()
    page.locator(f"#item-{item.pk} .item-status").filter(has_text="已议定").wait_for()
    page.screenshot(path="/tmp/meetings-decided.png", full_page=False)
    assert page.errors == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in page.requests)
