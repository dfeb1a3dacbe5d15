"""The policy pages in a real browser (Debian's chromium): the project page loads the "惠企政策" card for the
enterprise, and a dispatcher records 申报 through the htmx form on the policy page. ``pytest -m browser``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from daiban.policies.models import MatchStatus, PolicyMatch
from daiban.projects.services import project_update

from .conftest import make_policy

pytestmark = pytest.mark.browser

VIEWPORT = (1280, 720)  # playwright's default page size: the screenshots keep their size


@pytest.fixture
def matched(transactional_db, project, users, milestone_kinds):
    make_policy(is_example=True)
    project_update(actor=None, project=project, expected_version=None, equipment_investment=Decimal(3000))
    return PolicyMatch.objects.get()


def test_enterprise_sees_the_card_and_dispatcher_records_application(browser_page, matched, users):
    page = browser_page(users["enterprise"].username, viewport=VIEWPORT)
    page.goto(f"{page.base}/projects/{matched.project_id}/")
    card = page.wait_for_selector("#policies-card")
    text = card.inner_text()
    assert "设备购置贷款贴息" in text and "示例" in text and "90.00" in text and "已推送" in text
    page.screenshot(path="/tmp/policy-browser-card.png", full_page=True)
    assert page.errors == []

    # A fresh browser context: the dispatcher signs in without the enterprise's cookies.
    page = browser_page(users["dispatcher"].username, viewport=VIEWPORT)
    page.goto(f"{page.base}/policies/{matched.policy_id}/")
    page.click(f"#match-{matched.pk} summary")
    page.click(f"#match-{matched.pk} form[hx-post$='/apply/'] button")
    page.wait_for_selector(f"#match-{matched.pk} .message.success")
    assert "已申报" in page.inner_text(f"#match-{matched.pk}")
    assert PolicyMatch.objects.get(pk=matched.pk).status == MatchStatus.APPLIED
    page.screenshot(path="/tmp/policy-browser-detail.png", full_page=True)
    assert page.errors == []
