"""The inbox in a real browser (Debian's chromium via playwright): htmx mark read updates the row and the
header's badge, with no console error (CSP 'self'); opening a message lands on its project."""

from __future__ import annotations

import pytest

from daiban.notifications.models import Kind
from daiban.notifications.services import notify

pytestmark = pytest.mark.browser

VIEWPORT = (1280, 720)  # playwright's default page size: the screenshots keep their size


@pytest.mark.django_db(transaction=True)
def test_inbox_mark_read_and_open(browser_page, butler, project):
    from playwright.sync_api import expect

    for key, kind, title in (
        ("a", Kind.CASE_OVERDUE, "办件逾期：建设工程规划许可证（京南生物医药产业化基地）"),
        ("b", Kind.MILESTONE_DUE, "节点即将到期：开工（京南生物医药产业化基地）"),
    ):
        notify(
            recipients=[butler],
            kind=kind,
            key=key,
            title=title,
            body="到期日 2026-09-28",
            url=f"/projects/{project.pk}/",
        )
    page = browser_page(butler.username, viewport=VIEWPORT)
    page.goto(f"{page.base}/inbox/")
    assert page.inner_text("#inbox-link .inbox-badge") == "2"
    page.screenshot(path="/tmp/notif-inbox.png", full_page=True)

    page.click(".inbox-item.unread >> nth=0 >> text=标为已读")
    expect(page.locator("#inbox-link .inbox-badge")).to_have_text("1")
    expect(page.locator(".inbox-item.unread")).to_have_count(1)
    expect(page.locator("#inbox-unread-n")).to_have_text("1")
    page.screenshot(path="/tmp/notif-inbox-read.png", full_page=True)

    with page.expect_navigation():
        page.click(".inbox-item.unread .inbox-open")
    assert page.url == f"{page.base}/projects/{project.pk}/"
    assert page.locator("#inbox-link .inbox-badge").count() == 0
    assert page.errors == []
