"""Coordination issues (协调事项), their escalation ladder (督办), history, comments and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from daiban.audit.models import Tracked, TrackedQuerySet, all_manager, live_manager


class IssueCategory(models.TextChoices):
    LAND = "land", "用地"
    PLANNING = "planning", "规划"
    ENVIRONMENT = "environment", "环保"
    UTILITIES = "utilities", "水电气热"
    FUNDING = "funding", "资金"
    POLICY = "policy", "政策"
    OTHER = "other", "其他"


class IssueStatus(models.TextChoices):
    OPEN = "open", "待办"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已解决"
    CLOSED = "closed", "已关闭"


# Statuses whose clock runs (and which escalate when overdue).
ACTIVE_STATUSES = (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)


class IssueSource(models.TextChoices):
    TEAM = "team", "服务团队"
    MEETING = "meeting", "调度会"


class Holder(models.TextChoices):
    """Who holds an escalation level: resolved to users by coordination.services.level_holders."""

    SPECIALIST = "specialist", "服务专员（责任人）"
    BUTLER = "butler", "项目管家"
    DEPARTMENT_HEAD = "department_head", "部门负责人"
    LEADER = "leader", "区领导"
    DISPATCHER = "dispatcher", "调度"


class EscalationLevel(Tracked):
    """One rung of the 督办 ladder. Order 0 is the responsible person with the issue's own deadline; each
    later rung starts the working day after the previous one's due date and adds ``extra_days``."""

    order = models.PositiveSmallIntegerField("级别", unique=True, help_text="0 = 责任人（基础时限）")
    name = models.CharField("名称", max_length=30)
    holder = models.CharField("督办责任人", max_length=24, choices=Holder.choices)
    extra_days = models.PositiveSmallIntegerField("本级时限（工作日）", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "督办级别"
        verbose_name_plural = "督办级别"
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order=0) | Q(extra_days__gte=1),
                name="escalation_level_extra_days_positive",
                violation_error_message="督办级别的时限至少为 1 个工作日",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoordinationIssueQuerySet(TrackedQuerySet):
    def for_user(self, user) -> CoordinationIssueQuerySet:
        """The one scoping rule for issues: the user's projects, plus issues they are responsible for.

        Note: a specialist also sees the issues assigned to their department (责任单位) on any project, and
        any staff user the issues assigned to them: the responsible person must be able to open what they were
        told about. Enterprise users see no issues.
        """
        from daiban.projects.models import Project

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.has_role("enterprise") or (not user.role and not user.is_superuser):
            return self.none()
        if user.sees_all_projects:
            return self
        condition = Q(project__in=Project.objects.for_user(user)) | Q(assignee=user)
        if user.has_role("specialist") and user.department_id:
            condition |= Q(department_id=user.department_id)
        return self.filter(condition)


class CoordinationIssue(Tracked):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="issues"
    )
    title = models.CharField("事项标题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    category = models.CharField("类别", max_length=16, choices=IssueCategory.choices)
    department = models.ForeignKey(
        "accounts.Department", verbose_name="责任单位", on_delete=models.PROTECT, related_name="issues"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_issues",
    )
    deadline_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    raised_on = models.DateField("提出日期")
    due_on = models.DateField("到期日")
    status = models.CharField("状态", max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution = models.TextField("办理结果", blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    level = models.PositiveSmallIntegerField("督办级别", default=0, help_text="0 = 未升级")
    level_due_on = models.DateField("本级到期日", null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=IssueSource.choices, default=IssueSource.TEAM)
    source_note = models.CharField("来源说明", max_length=200, blank=True)

    objects = live_manager(CoordinationIssueQuerySet)
    all_objects = all_manager(CoordinationIssueQuerySet)

    class Meta:
        verbose_name = "协调事项"
        verbose_name_plural = "协调事项"
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1),
                name="issue_deadline_positive",
                violation_error_message="办理时限至少为 1 个工作日",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("raised_on")),
                name="issue_due_after_raised",
                violation_error_message="到期日应晚于提出日期",
            ),
            models.CheckConstraint(
                condition=Q(status__in=IssueStatus.values),
                name="issue_status_known",
                violation_error_message="未知的事项状态",
            ),
            models.CheckConstraint(
                condition=Q(category__in=IssueCategory.values),
                name="issue_category_known",
                violation_error_message="未知的事项类别",
            ),
            models.CheckConstraint(
                condition=Q(source__in=IssueSource.values),
                name="issue_source_known",
                violation_error_message="未知的事项来源",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[IssueStatus.RESOLVED, IssueStatus.CLOSED])
                | (Q(resolved_on__isnull=False) & ~Q(resolution="")),
                name="issue_resolved_has_resolution",
                violation_error_message="已解决的事项须填写办理结果和解决日期",
            ),
            models.CheckConstraint(
                condition=~Q(status=IssueStatus.CLOSED) | Q(closed_on__isnull=False),
                name="issue_closed_has_date",
                violation_error_message="已关闭的事项须有关闭日期",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="issue_resolved_after_raised",
                violation_error_message="解决日期不能早于提出日期",
            ),
            models.CheckConstraint(
                condition=Q(level=0) | Q(level_due_on__isnull=False),
                name="issue_escalated_has_level_due",
                violation_error_message="已升级督办的事项须有本级到期日",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="issue_status_due"),
            models.Index(fields=["project", "status"], name="issue_project_status"),
            models.Index(fields=["department", "raised_on"], name="issue_department_raised"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class IssueChildQuerySet(TrackedQuerySet):
    def for_user(self, user) -> IssueChildQuerySet:
        return self.filter(issue__in=CoordinationIssue.objects.for_user(user))


class IssueHolding(Tracked):
    """Who held an issue at one level, and when (the 督办 history)."""

    issue = models.ForeignKey(
        CoordinationIssue, verbose_name="协调事项", on_delete=models.CASCADE, related_name="holdings"
    )
    level = models.PositiveSmallIntegerField("督办级别")
    level_name = models.CharField("级别名称", max_length=30)
    # Note: the label is kept as written so the history still reads right after people change posts.
    holder_label = models.CharField("责任人", max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人（用户）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField("开始日期")
    due_on = models.DateField("本级到期日")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)

    objects = live_manager(IssueChildQuerySet)
    all_objects = all_manager(IssueChildQuerySet)

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["issue", "level", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "level"],
                name="issue_holding_once_per_level",
                violation_error_message="该事项已有此级别的督办记录",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="issue_holding_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.level_name} {self.holder_label}"


class IssueComment(Tracked):
    issue = models.ForeignKey(
        CoordinationIssue, verbose_name="协调事项", on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField("内容")

    objects = live_manager(IssueChildQuerySet)
    all_objects = all_manager(IssueChildQuerySet)

    class Meta:
        verbose_name = "事项评论"
        verbose_name_plural = "事项评论"
        ordering = ["issue", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="issue_comment_not_empty",
                violation_error_message="评论内容不能为空",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · 评论"


class IssueAttachment(Tracked):
    issue = models.ForeignKey(
        CoordinationIssue, verbose_name="协调事项", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="issues/%Y/%m/", max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)

    objects = live_manager(IssueChildQuerySet)
    all_objects = all_manager(IssueChildQuerySet)

    class Meta:
        verbose_name = "事项附件"
        verbose_name_plural = "事项附件"
        ordering = ["issue", "created_at", "id"]

    def __str__(self) -> str:
        return self.name
