"""Policies (惠企政策) as data, and their matches with enterprises and the payout (兑现) of each match."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from daiban.audit.models import Tracked, TrackedQuerySet, all_manager, live_manager
from daiban.core.policy import BENEFIT_KINDS, ENTERPRISE_FACTS, LEVELS, PROJECT_FACTS
from daiban.projects.models import Enterprise

MONEY = {"max_digits": 16, "decimal_places": 2}


class BenefitKind(models.TextChoices):
    INTEREST_SUBSIDY = BENEFIT_KINDS[0]
    SUBSIDY = BENEFIT_KINDS[1]
    FIXED = BENEFIT_KINDS[2]


class Level(models.TextChoices):
    PROJECT = LEVELS[0]
    ENTERPRISE = LEVELS[1]


class Policy(Tracked):
    code = models.SlugField("代码", max_length=64, blank=True, help_text="示例政策的标识，用于重复导入")
    name = models.CharField("政策名称", max_length=200)
    issuer = models.CharField("发文单位", max_length=200)
    document_no = models.CharField("文号", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True)
    description = models.TextField("政策说明", blank=True)
    level = models.CharField("适用对象", max_length=16, choices=Level.choices, default=Level.PROJECT)
    benefit_kind = models.CharField("兑现方式", max_length=24, choices=BenefitKind.choices)
    rate = models.DecimalField("比例", max_digits=7, decimal_places=4, null=True, blank=True)
    cap = models.DecimalField("上限（万元）", null=True, blank=True, **MONEY)
    fixed_amount = models.DecimalField("定额（万元）", null=True, blank=True, **MONEY)
    base_fact = models.CharField("计算基数", max_length=32, blank=True)
    rule = models.TextField("适用条件（YAML）")
    # Note: non-empty → the rule was refused when saved; the policy is kept (to be fixed) but never evaluated.
    rule_error = models.TextField("规则错误", blank=True)
    no_application = models.BooleanField("免申即享", default=False)
    is_example = models.BooleanField("示例", default=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"
        ordering = ["-valid_from", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="policy_code_unique_when_set"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="policy_validity_ordered",
                violation_error_message="有效期止不能早于有效期起",
            ),
            models.CheckConstraint(
                condition=(Q(cap__isnull=True) | Q(cap__gte=0))
                & (Q(fixed_amount__isnull=True) | Q(fixed_amount__gte=0))
                & (Q(rate__isnull=True) | (Q(rate__gte=0) & Q(rate__lte=1))),
                name="policy_amounts_plausible",
                violation_error_message="比例应在 0–1 之间，金额不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def base_label(self) -> str:
        """The Chinese label of the fact a proportional benefit is computed from."""
        field = (ENTERPRISE_FACTS | PROJECT_FACTS).get(self.base_fact)
        return field.label if field else ""


class MatchStatus(models.TextChoices):
    MATCHED = "matched", "已匹配"
    NOTIFIED = "notified", "已推送"
    APPLIED = "applied", "已申报"
    GRANTED = "granted", "直接兑现"
    APPROVED = "approved", "已审核"
    PAID = "paid", "已拨付"
    LAPSED = "lapsed", "不再符合"


class PolicyMatchQuerySet(TrackedQuerySet):
    def for_user(self, user) -> PolicyMatchQuerySet:
        """District roles see every match; butlers and specialists those of their projects' enterprises;
        an enterprise only its own."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.sees_all_projects:
            return self
        return self.filter(enterprise__in=Enterprise.objects.for_user(user))


class PolicyMatch(Tracked):
    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="matches")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="policy_matches"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_matches",
    )
    eligible = models.BooleanField("符合条件", default=True)
    trace = models.JSONField("判断过程", default=list, blank=True)
    estimated_benefit = models.DecimalField("预计享受（万元）", null=True, blank=True, **MONEY)
    status = models.CharField("兑现状态", max_length=16, choices=MatchStatus.choices)
    matched_on = models.DateField("匹配日期")
    notified_on = models.DateField("推送日期", null=True, blank=True)
    applied_on = models.DateField("申报日期", null=True, blank=True)
    granted_on = models.DateField("直接兑现日期", null=True, blank=True)
    approved_on = models.DateField("审核日期", null=True, blank=True)
    approved_amount = models.DecimalField("核定金额（万元）", null=True, blank=True, **MONEY)
    paid_on = models.DateField("拨付日期", null=True, blank=True)
    paid_amount = models.DecimalField("拨付金额（万元）", null=True, blank=True, **MONEY)

    objects = live_manager(PolicyMatchQuerySet)
    all_objects = all_manager(PolicyMatchQuerySet)

    class Meta:
        verbose_name = "政策匹配"
        verbose_name_plural = "政策匹配"
        ordering = ["policy", "enterprise__name", "project_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise", "project"],
                condition=Q(project__isnull=False),
                name="policy_match_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["policy", "enterprise"],
                condition=Q(project__isnull=True),
                name="policy_match_once_per_enterprise",
            ),
            models.CheckConstraint(
                condition=(Q(approved_amount__isnull=True) | Q(approved_amount__gte=0))
                & (Q(paid_amount__isnull=True) | Q(paid_amount__gte=0)),
                name="policy_match_amounts_not_negative",
                violation_error_message="金额不能为负数",
            ),
        ]
        indexes = [models.Index(fields=["policy", "status"], name="policy_match_status")]

    def __str__(self) -> str:
        return f"{self.policy_id and self.policy.name} · {self.enterprise_id and self.enterprise.name}"
