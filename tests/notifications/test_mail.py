"""E-mail of notifications against a real SMTP server on localhost (aiosmtpd), via Django's SMTP backend."""

from __future__ import annotations

import pytest

from daiban.notifications.models import Notification
from daiban.notifications.services import notifications_tick

from .conftest import TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_addresses(butler, specialist, other_butler):
    for user, address in ((butler, "zhangsan@example.gov.cn"), (specialist, "sun@example.gov.cn")):
        user.email = address
        user.save()
    return butler, specialist


def test_mail_is_off_by_default(project, department, with_addresses, mailoutbox):
    make_case(project, "A1", department, "overdue")
    result = notifications_tick(today=TODAY)
    assert result.created == 2 and not result.mail.enabled
    assert "邮件未启用" in str(result)
    assert mailoutbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_one_digest_per_recipient_with_chinese_subject_and_body_then_nothing_twice(
    mail_on, project, department, with_addresses
):
    _, collector = mail_on
    make_case(project, "A1", department, "overdue", name="建设工程规划许可证")
    make_case(project, "A2", department, "warning", name="建设用地规划许可证")
    result = notifications_tick(today=TODAY)
    assert (result.created, result.mail.sent, result.mail.failed) == (4, 2, 0)
    assert str(result) == "消息：新增 4 条（办件 4，节点 0），发送邮件 2 封"

    by_address = {message["X-Envelope-To"]: message for message in collector.messages}
    assert set(by_address) == {"zhangsan@example.gov.cn", "sun@example.gov.cn"}
    mail = by_address["zhangsan@example.gov.cn"]
    # Note: Django folds the encoded subject onto a continuation line; the parser keeps the fold's space.
    assert mail["Subject"].strip() == "【重大项目全程代办】您有 2 条新消息"
    assert mail["To"] == "zhangsan@example.gov.cn"
    text = mail.get_content()
    assert text.startswith("张三，您好：")
    assert "办件逾期：建设工程规划许可证（京南生物医药产业化基地）" in text
    assert "办件预警：建设用地规划许可证（京南生物医药产业化基地）" in text
    assert f"查看：https://daiban.example.gov.cn/projects/{project.pk}/" in text
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    again = notifications_tick(today=TODAY)
    assert (again.created, again.mail.sent) == (0, 0)
    assert len(collector.messages) == 2

    # A new event the next day: only that one is mailed, with its title as the subject.
    make_case(project, "A3", department, "overdue", name="施工许可证")
    notifications_tick(today=TODAY)
    assert len(collector.messages) == 4
    assert collector.messages[-1]["Subject"].strip().startswith("【重大项目全程代办】办件逾期：施工许可证")


def test_users_without_an_address_get_no_mail(mail_on, project, department, butler):
    _, collector = mail_on
    make_case(project, "A1", department, "overdue")
    result = notifications_tick(today=TODAY)
    assert (result.created, result.mail.sent) == (2, 0)
    assert collector.messages == []


def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs(
    mail_on, project, department, with_addresses
):
    _, collector = mail_on
    butler, specialist = with_addresses
    butler.email = "refuse-me@example.gov.cn"
    butler.save()
    make_case(project, "A1", department, "overdue")
    result = notifications_tick(today=TODAY)
    assert (result.mail.sent, result.mail.failed) == (1, 1)
    assert [m["X-Envelope-To"] for m in collector.messages] == ["sun@example.gov.cn"]
    refused = Notification.objects.get(recipient=butler)
    assert refused.emailed_at is None and "refuse-me@example.gov.cn" in refused.email_error
    assert Notification.objects.get(recipient=specialist).emailed_at is not None
    # Not retried every day: the inbox still has it.
    assert notifications_tick(today=TODAY).mail.failed == 0


def test_server_down_records_the_error_and_the_tick_completes(mail_on, project, department, with_addresses):
    controller, collector = mail_on
    controller.stop()
    make_case(project, "A1", department, "overdue")
    make_case(project, "A2", department, "warning")
    result = notifications_tick(today=TODAY)
    assert result.created == 4
    assert (result.mail.sent, result.mail.failed) == (0, 2)
    assert "失败 2 封" in str(result)
    rows = Notification.objects.all()
    assert all(row.emailed_at is None and row.email_error.startswith("无法连接邮件服务器") for row in rows)
    assert collector.messages == []
