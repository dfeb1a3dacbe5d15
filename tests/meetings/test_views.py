"""The meeting pages: who may open them, creating a meeting from the preview, deciding an item (htmx),
publishing and holding with the version read, and the report page and downloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from daiban.coordination.models import CoordinationIssue
from daiban.meetings.models import AgendaItem, DispatchMeeting, ItemStatus, MeetingStatus
from daiban.meetings.services import meeting_create

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)


@pytest.fixture
def meeting(portfolio, dispatcher):
    return meeting_create(actor=dispatcher, held_on=DAY)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("dispatcher", 200),
        ("butler", 403),
        ("specialist", 403),
        ("enterprise", 403),
    ],
)
def test_who_opens_the_meetings_pages(client, users, meeting, role, status):
    client.force_login(users[role])
    for url in ("/meetings/", f"/meetings/{meeting.pk}/", "/meetings/report/?from=2026-06-01&to=2026-06-14"):
        assert client.get(url).status_code == status


def test_anonymous_is_sent_to_sign_in(client, meeting):
    assert client.get("/meetings/").status_code == 302


def test_leader_reads_but_does_not_write(client, leader, meeting):
    client.force_login(leader)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "京南生物医药产业化基地" in page and "记录会议决定" not in page
    assert client.get("/meetings/new/").status_code == 403
    response = client.post(f"/meetings/{meeting.pk}/publish/", {"version": meeting.version})
    assert response.status_code == 403


def test_create_from_the_preview(client, dispatcher, portfolio):
    client.force_login(dispatcher)
    preview = client.get("/meetings/new/?held_on=2026-06-15").content.decode()
    assert "默认议程" in preview and "亦庄机器人整机制造项目" in preview and "节点临近" in preview
    response = client.post("/meetings/new/", {"held_on": "2026-06-15", "location": "区政府 3 楼会议室"})
    meeting = DispatchMeeting.objects.get()
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert (meeting.location, meeting.period_to) == ("区政府 3 楼会议室", dt.date(2026, 6, 14))
    assert meeting.items.count() == 2


def test_attendees_are_picked_on_the_form_and_told_when_the_agenda_is_published(
    client, dispatcher, leader, portfolio
):
    from daiban.notifications.models import Kind, Notification

    client.force_login(dispatcher)
    form = client.get("/meetings/new/?held_on=2026-06-15").content.decode()
    assert f'<option value="{leader.pk}">' in form  # leaders are offered; enterprises are not
    client.post("/meetings/new/", {"held_on": "2026-06-15", "attendees": [leader.pk, dispatcher.pk]})
    meeting = DispatchMeeting.objects.get()
    assert set(meeting.attendees.all()) == {leader, dispatcher}
    client.post(f"/meetings/{meeting.pk}/publish/", {"version": meeting.version})
    assert Notification.objects.filter(recipient=leader, kind=Kind.MEETING_PUBLISHED).count() == 1


def test_decide_by_htmx_raises_an_issue(client, dispatcher, meeting, portfolio):
    client.force_login(dispatcher)
    item = AgendaItem.objects.get(meeting=meeting, project=portfolio["yellow"])
    data = {
        "version": item.version,
        "discussion": "规划条件未出",
        "kind": "issue",
        "text": "规自分局出具规划条件",
        "department": portfolio["guizi"].pk,
        "deadline_days": 5,
        "category": "planning",
    }
    url = f"/meetings/{meeting.pk}/items/{item.pk}/decide/"
    assert "保存决定" in client.get(url, HTTP_HX_REQUEST="true").content.decode()  # the form, on demand
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "已议定" in body and "规自分局出具规划条件" in body
    assert CoordinationIssue.objects.get().source == "meeting"
    stale = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()  # the same (old) version
    assert "未保存" in stale and CoordinationIssue.objects.count() == 1


def test_publish_and_hold_with_the_version(client, dispatcher, meeting):
    client.force_login(dispatcher)
    client.post(f"/meetings/{meeting.pk}/publish/", {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    client.post(f"/meetings/{meeting.pk}/hold/", {"version": meeting.version - 1, "summary": "x"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED  # a stale version changes nothing
    client.post(f"/meetings/{meeting.pk}/hold/", {"version": meeting.version, "summary": "会议纪要"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.report_docx
    response = client.get(f"/meetings/{meeting.pk}/report.docx")
    assert bytes(response.content) == bytes(meeting.report_docx)
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "会议纪要" in text
    assert AgendaItem.objects.filter(meeting=meeting, status=ItemStatus.OPEN).count() == 2


def test_report_page_and_downloads(client, leader, portfolio):
    client.force_login(leader)
    page = client.get("/meetings/report/?from=2026-06-01&to=2026-06-14").content.decode()
    assert "红黄灯项目" in page and "投资完成与四率" in page and "区规划和自然资源分局" in page
    bad = client.get("/meetings/report/?from=2026-06-14&to=2026-06-01").content.decode()
    assert "起始日期不能晚于截止日期" in bad
    xlsx = client.get("/meetings/report.xlsx?from=2026-06-01&to=2026-06-14")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    docx = client.get("/meetings/report.docx?from=2026-06-01&to=2026-06-14")
    assert Document(io.BytesIO(docx.content)).tables


def test_long_groups_are_cut_and_paged(client, dispatcher, meeting, monkeypatch):
    from daiban.meetings import views
    from daiban.meetings.services import agenda_item_add

    for number in range(5):
        agenda_item_add(actor=dispatcher, meeting=meeting, reason_text=f"临时议题{number}")
    monkeypatch.setattr(views, "GROUP_PREVIEW", 2)
    monkeypatch.setattr(views, "GROUP_PAGE", 3)
    client.force_login(dispatcher)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "临时议题1" in page and "临时议题2" not in page and "查看全部 5 项" in page
    assert "京南生物医药产业化基地" in page
    first = client.get(f"/meetings/{meeting.pk}/?group=added").content.decode()
    assert "临时议题2" in first and "临时议题3" not in first and "京南生物医药产业化基地" not in first
    second = client.get(f"/meetings/{meeting.pk}/?group=added&page=2").content.decode()
    assert "临时议题4" in second and "临时议题0" not in second and "上一页" in second


def test_items_are_numbered_within_their_group(client, dispatcher, meeting):
    """The number beside an item is its place in its group (1, 2, 3 … across pages), never the stored
    sort key (10, 20, … 850) that users would read as an agenda number."""
    import re

    from daiban.meetings.services import agenda_item_add

    for number in range(5):
        agenda_item_add(actor=dispatcher, meeting=meeting, reason_text=f"临时议题{number}")
    client.force_login(dispatcher)

    def numbers(html: str) -> list[str]:
        return re.findall(r'<span class="item-no muted">([^<]*)</span>', html)

    assert numbers(client.get(f"/meetings/{meeting.pk}/?group=added").content.decode()) == list("12345")
    first = AgendaItem.objects.filter(meeting=meeting, reason="added").order_by("order", "pk")
    assert first[3].order > 5  # the sort key is not the number shown
    url = f"/meetings/{meeting.pk}/items/{first[3].pk}/decide/"
    body = client.post(url, {"version": first[3].version, "discussion": "已讨论"}, HTTP_HX_REQUEST="true")
    assert numbers(body.content.decode()) == ["4"]
