"""The inbox page (/inbox/) and the header's unread badge: own notifications only, open, mark read."""

from __future__ import annotations

import re

import pytest

from daiban.notifications.models import Kind, Notification
from daiban.notifications.services import notify

pytestmark = pytest.mark.django_db


def note(user, key: str, *, kind=Kind.CASE_OVERDUE, title: str = "", url: str = "/projects/") -> Notification:
    notify(recipients=[user], kind=kind, key=key, title=title or f"消息{key}", body="正文", url=url)
    return Notification.objects.get(recipient=user, key=key)


def badge(html: str) -> str | None:
    found = re.search(r'<span class="inbox-badge"[^>]*>([^<]*)</span>', html)
    return found.group(1) if found else None


@pytest.fixture
def two_inboxes(butler, other_butler, project):
    mine = [
        note(
            butler,
            "a",
            title="办件逾期：建设工程规划许可证（京南生物医药产业化基地）",
            url=f"/projects/{project.pk}/",
        ),
        note(butler, "b", kind=Kind.MILESTONE_DUE, title="节点即将到期：开工（京南生物医药产业化基地）"),
        note(butler, "c", kind=Kind.POLICY_MATCHED, title="惠企政策匹配：研发补贴"),
    ]
    theirs = note(other_butler, "z", title="李四的消息")
    return mine, theirs


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_inbox_lists_only_own_newest_first_with_the_header_badge(client, butler, two_inboxes):
    client.force_login(butler)
    html = client.get("/inbox/").content.decode()
    assert "李四的消息" not in html
    titles = re.findall(r'class="inbox-open">([^<]*)<', html)
    assert titles == [
        "惠企政策匹配：研发补贴",
        "节点即将到期：开工（京南生物医药产业化基地）",
        "办件逾期：建设工程规划许可证（京南生物医药产业化基地）",
    ]
    assert html.count('class="inbox-item unread"') == 3
    assert badge(html) == "3"
    # Every page's header carries the count.
    assert badge(client.get("/projects/").content.decode()) == "3"


def test_another_users_notification_is_404(client, butler, two_inboxes):
    _, theirs = two_inboxes
    client.force_login(butler)
    assert client.post(f"/inbox/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_the_link(client, butler, project, two_inboxes):
    (first, *_), _ = two_inboxes
    client.force_login(butler)
    assert client.get(f"/inbox/{first.pk}/open/").status_code == 405  # a side effect needs a POST
    response = client.post(f"/inbox/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert badge(client.get("/inbox/").content.decode()) == "2"


def test_a_foreign_link_is_never_followed(client, butler):
    evil = note(butler, "evil", url="https://evil.example.com/")
    client.force_login(butler)
    assert client.post(f"/inbox/{evil.pk}/open/")["Location"] == "/inbox/"


def test_mark_read_with_htmx_returns_the_row_and_the_badge(client, butler, two_inboxes):
    (first, *_), _ = two_inboxes
    client.force_login(butler)
    response = client.post(f"/inbox/{first.pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html and "unread" not in html.split("</li>")[0]
    assert 'hx-swap-oob="true"' in html and badge(html) == "2"
    # Without htmx: back to where the form said.
    second = two_inboxes[0][1]
    response = client.post(f"/inbox/{second.pk}/read/", {"next": "/inbox/?show=unread"})
    assert response["Location"] == "/inbox/?show=unread"


def test_filters_unread_and_kind(client, butler, two_inboxes):
    (first, *_), _ = two_inboxes
    client.force_login(butler)
    client.post(f"/inbox/{first.pk}/read/")
    unread = client.get("/inbox/", {"show": "unread"}).content.decode()
    assert "建设工程规划许可证" not in unread and "研发补贴" in unread
    by_kind = client.get("/inbox/", {"kind": "milestone_due"}).content.decode()
    assert "开工" in by_kind and "研发补贴" not in by_kind and "建设工程规划许可证" not in by_kind


def test_read_all_marks_only_own(client, butler, two_inboxes):
    _, theirs = two_inboxes
    client.force_login(butler)
    response = client.post("/inbox/read-all/", {"next": "/inbox/"}, follow=True)
    html = response.content.decode()
    assert "已将 3 条消息标为已读" in html
    assert badge(html) is None
    assert not Notification.objects.filter(recipient=butler, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_needs_csrf(butler, two_inboxes):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(butler)
    assert strict.post("/inbox/read-all/").status_code == 403


def test_enterprise_user_has_an_inbox_too(client, enterprise_user, project):
    note(enterprise_user, "p", kind=Kind.POLICY_MATCHED, title="惠企政策匹配：首台套奖励")
    client.force_login(enterprise_user)
    html = client.get("/inbox/").content.decode()
    assert "首台套奖励" in html and badge(html) == "1"


def test_pages_are_paginated(client, butler):
    for i in range(35):
        note(butler, f"k{i}")
    client.force_login(butler)
    first = client.get("/inbox/").content.decode()
    assert first.count('class="inbox-open"') == 30 and "第 1 / 2 页" in first
    second = client.get("/inbox/", {"page": 2}).content.decode()
    assert second.count('class="inbox-open"') == 5
    assert badge(first) == "35"


def test_badge_shows_99_plus(client, butler):
    Notification.objects.bulk_create(
        Notification(recipient=butler, kind=Kind.ISSUE_DUE, key=f"n{i}", title="t") for i in range(120)
    )
    client.force_login(butler)
    assert badge(client.get("/inbox/").content.decode()) == "99+"


def test_header_count_is_one_query(client, butler, django_assert_num_queries):
    from django.test import RequestFactory

    from daiban.notifications.context_processors import inbox

    note(butler, "a")
    request = RequestFactory().get("/")
    request.user = butler
    with django_assert_num_queries(1):
        assert inbox(request) == {"inbox_unread": 1}


def test_inbox_chips_count_all_and_unread(client, butler, two_inboxes):
    """Both chips carry a number: 全部 counts every own message (read too), 未读 the unread ones."""
    mine, _ = two_inboxes
    mine[0].read_at = mine[0].created_at
    mine[0].save(update_fields=["read_at"])
    client.force_login(butler)
    html = client.get("/inbox/?kind=policy_matched").content.decode()
    assert re.search(r'id="inbox-total-n">3<', html)
    assert re.search(r'id="inbox-unread-n">2<', html)
