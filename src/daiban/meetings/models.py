"""The dispatch meeting (调度会): its agenda items, the decisions taken on them, and the stored report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from daiban.audit.models import Tracked


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布议程"
    HELD = "held", "已召开"


class Reason(models.TextChoices):
    RED = "red", "红灯项目"
    YELLOW = "yellow", "黄灯项目"
    MILESTONE_DUE = "milestone_due", "节点临近"
    ESCALATED_ISSUE = "escalated_issue", "督办事项"
    CARRIED_OVER = "carried_over", "上次结转"
    ADDED = "added", "临时增加"


class ItemStatus(models.TextChoices):
    OPEN = "open", "待议"
    DECIDED = "decided", "已议定"
    CARRIED = "carried", "已结转"


class DecisionKind(models.TextChoices):
    ISSUE = "issue", "形成协调事项"
    MILESTONE_COMMITMENT = "milestone_commitment", "节点承诺"
    NOTE = "note", "其他"


class DispatchMeeting(Tracked):
    title = models.CharField("会议名称", max_length=200)
    number = models.PositiveIntegerField("期次", unique=True)
    held_on = models.DateField("会议日期")
    period_from = models.DateField("统计起日")
    period_to = models.DateField("统计止日")
    location = models.CharField("地点", max_length=200, blank=True)
    host = models.CharField("主持人", max_length=100, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参会人员", blank=True, related_name="dispatch_meetings"
    )
    attendees_note = models.TextField("其他参会单位/人员", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    summary = models.TextField("会议纪要", blank=True)
    published_at = models.DateTimeField("议程发布时间", null=True, blank=True)
    held_at = models.DateTimeField("召开登记时间", null=True, blank=True)
    # Note: the report as read at the meeting, stored when the meeting is held, so it never changes later.
    report_figures = models.JSONField("报告数据（存档）", default=dict, blank=True)
    report_docx = models.BinaryField("报告 Word（存档）", null=True, blank=True)
    report_xlsx = models.BinaryField("报告 Excel（存档）", null=True, blank=True)

    class Meta:
        verbose_name = "调度会"
        verbose_name_plural = "调度会"
        ordering = ["-held_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="meeting_period_ordered",
                violation_error_message="统计起日不能晚于止日",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(Tracked):
    meeting = models.ForeignKey(
        DispatchMeeting, verbose_name="调度会", on_delete=models.CASCADE, related_name="items"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # Note: the item keeps its text if the row is ever hard-deleted
        related_name="agenda_items",
    )
    issue = models.ForeignKey(
        "coordination.CoordinationIssue",
        verbose_name="协调事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # Note: the item keeps its text if the row is ever hard-deleted
        related_name="agenda_items",
    )
    reason = models.CharField("上会原因", max_length=16, choices=Reason.choices)
    reasons = models.JSONField("全部原因", default=list, blank=True)  # every Reason code that applies
    reason_text = models.TextField("原因说明", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    carried_from = models.ForeignKey(
        "self",
        verbose_name="结转自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    discussion = models.TextField("讨论情况", blank=True)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        subject = self.issue.title if self.issue_id else (self.project.name if self.project_id else "")
        return f"{self.get_reason_display()}：{subject or self.reason_text}"[:300]


class Decision(Tracked):
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name="议题", on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField("决定类型", max_length=24, choices=DecisionKind.choices)
    text = models.TextField("决定内容")
    issue = models.ForeignKey(
        "coordination.CoordinationIssue",
        verbose_name="形成的协调事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_decisions",
    )
    milestone_code = models.CharField("承诺节点", max_length=32, blank=True)
    committed_on = models.DateField("承诺日期", null=True, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("完成时限", null=True, blank=True)

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["agenda_item", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"[:300]

    @property
    def milestone_name(self) -> str:
        from daiban.projects.models import MilestoneKind

        if not self.milestone_code:
            return ""
        kind = MilestoneKind.objects.filter(code=self.milestone_code).first()
        return kind.name if kind else self.milestone_code
