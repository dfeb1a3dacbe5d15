"""Approval cases (办件): one catalogue item for one project, with its plans, its clock and its result."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from daiban.accounts.models import Level
from daiban.audit.models import Tracked, TrackedQuerySet, all_manager, live_manager
from daiban.projects.choices import Light


class Stage(models.TextChoices):
    LAND_PLANNING = "land_planning", "立项用地规划许可"
    WORKS_PERMIT = "works_permit", "工程建设许可"
    CONSTRUCTION_PERMIT = "construction_permit", "施工许可"
    ACCEPTANCE = "acceptance", "竣工验收"
    PARALLEL = "parallel", "并行推进"


class DayUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    NATURAL_DAYS = "natural_days", "自然日"


class CaseResult(models.TextChoices):
    APPROVED = "approved", "准予许可"
    REJECTED = "rejected", "不予许可"
    WITHDRAWN = "withdrawn", "撤回"


class SlaState(models.TextChoices):
    """The states of core.sla, one to one (normal / warning / overdue are the glossary's sla_state)."""

    NOT_STARTED = "not_started", "未受理"
    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    OVERDUE = "overdue", "逾期"
    SUSPENDED = "suspended", "已挂起"
    DONE_ON_TIME = "done_on_time", "按期办结"
    DONE_LATE = "done_late", "超期办结"


class SuspensionReason(models.TextChoices):
    SUPPLEMENT = "supplement", "补正"
    EXPERT_REVIEW = "expert_review", "专家评审"
    HEARING = "hearing", "听证"
    TESTING = "testing", "检测"


class ApprovalCaseQuerySet(TrackedQuerySet):
    def for_user(self, user) -> ApprovalCaseQuerySet:
        from daiban.projects.models import Project

        if getattr(user, "sees_all_projects", False):  # an active district-wide user (not anonymous)
            # Note: a join rather than an IN over every live project: the database can then start from
            # the cases (e.g. the overdue ones, by index) instead of probing each project.
            return self.filter(project__deleted_at__isnull=True)
        return self.filter(project__in=Project.objects.for_user(user))


class ApprovalCase(Tracked):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="cases"
    )
    item_code = models.CharField("事项编码", max_length=64)
    name = models.CharField("事项名称", max_length=200)
    stage = models.CharField("审批阶段", max_length=24, choices=Stage.choices)
    department_name = models.CharField("审批部门", max_length=100, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="审批部门（已匹配）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    level = models.CharField("审批层级", max_length=16, choices=Level.choices, default=Level.DISTRICT)
    delegated = models.BooleanField("已赋权区级办理", default=False)
    statutory_days = models.PositiveIntegerField("法定时限", null=True, blank=True)
    statutory_unit = models.CharField(
        "法定时限单位", max_length=16, choices=DayUnit.choices, default=DayUnit.WORKING_DAYS
    )
    statutory_source = models.CharField("法定时限依据", max_length=300, blank=True)
    extension_days = models.PositiveIntegerField("可延长天数", default=0)
    promised_days = models.PositiveIntegerField("承诺时限", null=True, blank=True)
    promised_unit = models.CharField(
        "承诺时限单位", max_length=16, choices=DayUnit.choices, default=DayUnit.WORKING_DAYS
    )
    promised_source = models.CharField("承诺时限依据", max_length=300, blank=True)
    commitment = models.BooleanField("告知承诺", default=False)
    tolerated_gap = models.BooleanField("容缺受理", default=False)
    prerequisites = models.JSONField("前置事项", default=list, blank=True, help_text="前置事项编码列表")
    materials = models.JSONField("申报材料", default=list, blank=True)
    notes = models.JSONField("说明", default=list, blank=True)
    catalogue_order = models.PositiveIntegerField("事项库顺序", default=0)

    # Baseline: the first plan of both scenarios, kept as planned to measure slippage and compression.
    conventional_start = models.DateField("常规模式计划开始", null=True, blank=True)
    conventional_finish = models.DateField("常规模式计划完成", null=True, blank=True)
    agency_start = models.DateField("代办模式计划开始", null=True, blank=True)
    agency_finish = models.DateField("代办模式计划完成", null=True, blank=True)
    conventional_critical = models.BooleanField("常规模式关键路径", default=False)
    agency_critical = models.BooleanField("代办模式关键路径", default=False)
    # Current plan: re-planned from actuals by the daily tick.
    planned_start = models.DateField("当前计划开始", null=True, blank=True)
    planned_finish = models.DateField("当前计划完成", null=True, blank=True)
    total_float = models.IntegerField("机动时间（工作日）", null=True, blank=True)
    critical = models.BooleanField("关键路径", default=False)

    submitted_on = models.DateField("申报日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    extension_days_granted = models.PositiveIntegerField("已批准延期天数", default=0)
    decided_on = models.DateField("办结日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=16, choices=CaseResult.choices, blank=True)
    commitment_used = models.BooleanField("实际采用告知承诺", default=False)

    # Stored SLA reading (core.sla, written by the daily tick and after each recorded event).
    # Note: these follow the district's promised limit; the statutory due date is kept beside them
    # (see approvals.services.case_clock).
    sla_state = models.CharField("时限状态", max_length=16, choices=SlaState.choices, blank=True)
    due_on = models.DateField("到期日", null=True, blank=True)
    statutory_due_on = models.DateField("法定到期日", null=True, blank=True)
    overdue_days = models.PositiveIntegerField("逾期天数", default=0)
    first_overdue_on = models.DateField("首次逾期日", null=True, blank=True)
    light = models.CharField("红绿灯", max_length=8, choices=Light.choices, blank=True)

    objects = live_manager(ApprovalCaseQuerySet)
    all_objects = all_manager(ApprovalCaseQuerySet)

    class Meta:
        verbose_name = "审批办件"
        verbose_name_plural = "审批办件"
        ordering = ["project", "catalogue_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "item_code"],
                name="case_one_per_item",
                violation_error_message="该项目已有此审批事项",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(accepted_on__isnull=True)
                | Q(decided_on__gte=F("accepted_on")),
                name="case_decided_after_accepted",
                violation_error_message="办结日期不能早于受理日期",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "sla_state"], name="case_project_sla"),
            # The district's open overdue cases (a few hundred of 226,000) straight from the index.
            models.Index(fields=["sla_state", "decided_on"], name="case_sla_open"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class CaseSuspensionQuerySet(TrackedQuerySet):
    def for_user(self, user) -> CaseSuspensionQuerySet:
        return self.filter(case__in=ApprovalCase.objects.for_user(user))


class CaseSuspension(Tracked):
    """Time the clock does not run (补正, 专家评审, 听证, 检测); ``end`` empty while still suspended."""

    case = models.ForeignKey(
        ApprovalCase, verbose_name="办件", on_delete=models.CASCADE, related_name="suspensions"
    )
    start = models.DateField("挂起开始")
    end = models.DateField("挂起结束", null=True, blank=True)
    reason = models.CharField("挂起原因", max_length=16, choices=SuspensionReason.choices)
    note = models.CharField("备注", max_length=300, blank=True)

    objects = live_manager(CaseSuspensionQuerySet)
    all_objects = all_manager(CaseSuspensionQuerySet)

    class Meta:
        verbose_name = "办件挂起"
        verbose_name_plural = "办件挂起"
        ordering = ["case", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="suspension_end_after_start",
                violation_error_message="挂起结束日期不能早于开始日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_reason_display()} {self.start}"
