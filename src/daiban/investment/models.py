"""Monthly reported investment per project, and the district's yearly target with its pacing curve."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from daiban.audit.models import Tracked, TrackedQuerySet, all_manager, live_manager
from daiban.core.errors import DomainError

MONEY = {"max_digits": 16, "decimal_places": 2}


def default_pacing() -> list[float]:
    """序时进度 by default: month/12 of the year's plan should be done by the end of each month."""
    return [round(month / 12, 6) for month in range(1, 13)]


def validate_pacing(pacing: object) -> list[float]:
    """12 cumulative shares, non-decreasing, each in [0, 1], the last exactly 1; raises DomainError."""
    if not isinstance(pacing, list | tuple) or len(pacing) != 12:
        raise DomainError("序时进度应为 12 个月的累计比例")
    try:
        shares = [float(Decimal(str(value))) for value in pacing]
    except (ArithmeticError, ValueError) as error:
        raise DomainError(f"序时进度含有非数字：{pacing}") from error
    for month, (before, after) in enumerate(zip([0.0, *shares], shares, strict=False), start=1):
        if not 0 <= after <= 1:
            raise DomainError(f"序时进度 {month} 月的比例应在 0 到 1 之间")
        if after < before:
            raise DomainError(f"序时进度 {month} 月的累计比例不能小于上月")
    if abs(shares[-1] - 1) > 1e-9:
        raise DomainError("序时进度 12 月的累计比例应为 1")
    return shares


def _check_pacing(value: object) -> None:
    try:
        validate_pacing(value)
    except DomainError as error:
        raise ValidationError(str(error)) from error


class MonthlyInvestmentQuerySet(TrackedQuerySet):
    def for_user(self, user) -> MonthlyInvestmentQuerySet:
        from daiban.projects.models import Project

        return self.filter(project__in=Project.objects.for_user(user))


class MonthlyInvestment(Tracked):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="monthly_investments"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    amount = models.DecimalField("当月完成投资（万元）", default=0, **MONEY)
    funds_in_place = models.DecimalField("当月到位资金（万元）", default=0, **MONEY)

    objects = live_manager(MonthlyInvestmentQuerySet)
    all_objects = all_manager(MonthlyInvestmentQuerySet)

    class Meta:
        verbose_name = "月度投资"
        verbose_name_plural = "月度投资"
        ordering = ["project", "year", "month"]
        # Note: the unique index leads with project; the district-wide month figures need (year, month) first.
        indexes = [models.Index(fields=["year", "month"], name="investment_year_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="investment_one_per_month",
                violation_error_message="该项目该月已填报投资",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="investment_month_1_12",
                violation_error_message="月份应为 1–12",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="investment_amount_not_negative",
                violation_error_message="当月完成投资不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(funds_in_place__gte=0),
                name="investment_funds_not_negative",
                violation_error_message="当月到位资金不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年{self.month}月"


class InvestmentTarget(Tracked):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    amount = models.DecimalField("固定资产投资目标（万元）", **MONEY)
    pacing = models.JSONField(
        "序时进度",
        default=default_pacing,
        validators=[_check_pacing],
        help_text="12 个月的累计比例，末月为 1",
    )

    class Meta:
        verbose_name = "投资目标"
        verbose_name_plural = "投资目标"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="target_amount_not_negative",
                violation_error_message="投资目标不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年投资目标"
