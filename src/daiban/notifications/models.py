"""Notifications (消息): one row per recipient and event; unique (recipient, key): never sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    CASE_WARNING = "case_warning", "办件预警"
    CASE_OVERDUE = "case_overdue", "办件逾期"
    ISSUE_ASSIGNED = "issue_assigned", "协调事项交办"
    ISSUE_DUE = "issue_due", "协调事项即将到期"
    ISSUE_OVERDUE = "issue_overdue", "协调事项逾期"
    ISSUE_ESCALATED = "issue_escalated", "协调事项督办升级"
    MILESTONE_DUE = "milestone_due", "节点即将到期"
    MEETING_PUBLISHED = "meeting_published", "调度会议程发布"
    POLICY_MATCHED = "policy_matched", "惠企政策匹配"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """The one scope of notifications: a user only ever sees their own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)


# Note: rows still waiting for the e-mail run; a partial index keeps that daily look-up small however many
# notifications have been sent or read before.
MAIL_PENDING = Q(emailed_at__isnull=True, email_error="")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    # Note: the event's identity (e.g. "case:17:overdue"); with the recipient it makes a repeat a no-op.
    key = models.CharField("事件标识", max_length=200)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_error = models.CharField("邮件发送错误", max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
        ]
        indexes = [
            # The header's unread count and the inbox list (newest first) of one user.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The tick's "which of these event keys exist already" (the unique index leads with recipient).
            models.Index(fields=["key"], name="notification_key"),
            models.Index(
                fields=["recipient", "created_at"], name="notification_mail_pending", condition=MAIL_PENDING
            ),
        ]

    def __str__(self) -> str:
        return self.title
