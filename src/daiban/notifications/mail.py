"""E-mail of notifications: one digest per recipient per daily run, and one SMTP connection per run.

Note: a digest, not one mail per event: on a bad day a butler has dozens of overdue cases, and a
government mailbox reads one daily summary far better than fifty separate mails. The inbox keeps the detail.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

SUBJECT_PREFIX = "【重大项目全程代办】"
LISTED = 50  # items written out in one digest; the rest are counted and left to the inbox


@dataclass(frozen=True)
class MailResult:
    enabled: bool
    sent: int = 0  # mails accepted by the server
    failed: int = 0  # mails that could not be sent (their notifications record the error)

    def __str__(self) -> str:
        if not self.enabled:
            return "邮件未启用"
        return f"发送邮件 {self.sent} 封" + (f"，失败 {self.failed} 封" if self.failed else "")


def absolute(url: str) -> str:
    """A link a mail reader can open: the site's address (DAIBAN_SITE_URL) before the page's path."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.DAIBAN_SITE_URL}{url}"


@dataclass
class Digest:
    recipient: object
    notifications: list = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [notification.pk for notification in self.notifications]

    def subject(self) -> str:
        if len(self.notifications) == 1:
            return SUBJECT_PREFIX + self.notifications[0].title
        return f"{SUBJECT_PREFIX}您有 {len(self.notifications)} 条新消息"

    def text(self) -> str:
        count = len(self.notifications)
        lines = [
            f"{self.recipient.display_name}，您好：",
            "",
            f"重大项目全程代办系统有 {count} 条新消息：",
            "",
        ]
        for number, notification in enumerate(self.notifications[:LISTED], start=1):
            lines.append(f"{number}. {notification.title}")
            if notification.body:
                lines.append(f"   {notification.body}")
            if notification.url:
                lines.append(f"   查看：{absolute(notification.url)}")
            lines.append("")
        if count > LISTED:
            lines += [f"另有 {count - LISTED} 条消息，请登录系统查看。", ""]
        lines += [f"全部消息：{absolute('/inbox/')}", "", "此邮件由系统自动发送，请勿直接回复。"]
        return "\n".join(lines)

    def message(self) -> EmailMessage:
        return EmailMessage(
            subject=self.subject(),
            body=self.text(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.recipient.email],
        )


def digests(pending) -> list[Digest]:
    """Group notifications ordered by recipient (newest first within each) into one digest per recipient."""
    return [
        Digest(recipient=rows[0].recipient, notifications=rows)
        for rows in (list(group) for _, group in itertools.groupby(pending, key=lambda row: row.recipient_id))
    ]


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class Outbox:
    """One SMTP connection for a run. ``send`` returns "" on success, else why it failed; it never raises.

    After a failed message the connection is opened afresh (the server may have dropped it); if the server
    cannot be reached at all, every further message fails at once with that reason instead of waiting again.
    """

    def __enter__(self) -> Outbox:
        self.connection = get_connection(fail_silently=False)
        self.broken = ""
        self._open()
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def _open(self) -> None:
        try:
            self.connection.open()
        except Exception as error:  # any failure to connect is reported, never raised
            self.broken = "无法连接邮件服务器：" + describe(error)

    def _close(self) -> None:
        # Closing a broken connection has nothing left to report.
        with contextlib.suppress(Exception):
            self.connection.close()

    def send(self, message: EmailMessage) -> str:
        if self.broken:
            return self.broken
        try:
            if self.connection.send_messages([message]) != 1:
                return "邮件服务器未接受该邮件"
        except Exception as error:  # one bad message must not stop the others
            self._close()
            self._open()
            return describe(error)
        return ""
