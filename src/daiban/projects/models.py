"""Enterprises, projects, and the lifecycle milestones of a project."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from daiban.audit.models import Tracked, TrackedQuerySet, all_manager, live_manager
from daiban.core.errors import DomainError
from daiban.core.ids import validate_project_code, validate_uscc
from daiban.projects.choices import Category, Light, fact_choices, fact_label

MONEY = {"max_digits": 16, "decimal_places": 2}


def _check_uscc(value: str) -> None:
    try:
        validate_uscc(value)
    except DomainError as error:
        raise ValidationError(str(error)) from error


def _check_project_code(value: str) -> None:
    try:
        validate_project_code(value)
    except DomainError as error:
        raise ValidationError(str(error)) from error


def this_year() -> int:
    return dt.date.today().year


class EnterpriseQuerySet(TrackedQuerySet):
    def for_user(self, user) -> EnterpriseQuerySet:
        """Enterprises the user may see: all for district-wide roles, else those of the projects in scope."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.sees_all_projects:
            return self
        if user.has_role("enterprise"):
            return self.filter(pk=user.enterprise_id)
        return self.filter(pk__in=Project.objects.for_user(user).values("enterprise_id"))


class Enterprise(Tracked):
    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[_check_uscc])
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    industry = models.CharField("所属行业", max_length=50, blank=True)
    registered_on = models.DateField("注册日期", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # Policy facts (惠企政策): read by policies.selectors.policy_facts.
    high_tech = models.BooleanField("高新技术企业", default=False)

    objects = live_manager(EnterpriseQuerySet)
    all_objects = all_manager(EnterpriseQuerySet)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("uscc"), 18),
                name="enterprise_uscc_18_chars",
                violation_error_message="统一社会信用代码应为 18 位",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(TrackedQuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        """The one scoping rule for projects; every selector, page and API starts here."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.sees_all_projects:
            return self
        if user.has_role("butler"):
            return self.filter(butler=user)
        if user.has_role("specialist"):
            # Note: a subquery, not a join, so a project served by two specialists is not listed twice.
            served = Project.specialists.through.objects.filter(user=user).values("project_id")
            return self.filter(pk__in=served)
        if user.has_role("enterprise") and user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()


class Project(Tracked):
    name = models.CharField("项目名称", max_length=200)
    project_code = models.CharField(
        "项目代码", max_length=24, blank=True, validators=[_check_project_code], help_text="备案/核准后取得"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="项目单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    category = models.CharField(
        "项目类别", max_length=16, choices=Category.choices, default=Category.NEW_START
    )
    industry = models.CharField("产业领域", max_length=50, blank=True)
    location = models.CharField("建设地点", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("清单年度", default=this_year)
    total_investment = models.DecimalField(fact_label("total_investment"), default=0, **MONEY)
    annual_plan = models.DecimalField("年度计划投资（万元）", default=0, **MONEY)

    # Handbook facts: what core.handbook.tailor needs to pick the approval items (see services.project_facts).
    investment_type = models.CharField(
        fact_label("investment_type"),
        max_length=16,
        choices=fact_choices("investment_type"),
        default="social",
    )
    approval_mode = models.CharField(
        fact_label("approval_mode"), max_length=16, choices=fact_choices("approval_mode"), default="filing"
    )
    project_type = models.CharField(
        fact_label("project_type"), max_length=32, choices=fact_choices("project_type"), blank=True
    )
    land_supply_mode = models.CharField(
        fact_label("land_supply_mode"), max_length=32, choices=fact_choices("land_supply_mode"), blank=True
    )
    low_risk = models.BooleanField(fact_label("low_risk"), default=False)
    regional_assessment_done = models.BooleanField(fact_label("regional_assessment_done"), default=False)
    eia_category = models.CharField(
        fact_label("eia_category"), max_length=16, choices=fact_choices("eia_category"), blank=True
    )
    needs_energy_review = models.BooleanField(fact_label("needs_energy_review"), default=False)
    needs_civil_air_defense = models.BooleanField(fact_label("needs_civil_air_defense"), default=False)
    special_fire_project = models.BooleanField(fact_label("special_fire_project"), default=False)
    building_area_m2 = models.DecimalField(
        fact_label("building_area_m2"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    butler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="项目管家",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="butlered_projects",
    )
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="服务专员", blank=True, related_name="served_projects"
    )
    responsible_department = models.ForeignKey(
        "accounts.Department",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    current_milestone = models.CharField("当前节点", max_length=32, blank=True)
    planned_start_on = models.DateField("计划开工日期", null=True, blank=True)
    statistics_registered = models.BooleanField("已纳统", default=False)
    # Policy facts (惠企政策): read by policies.selectors.policy_facts.
    equipment_investment = models.DecimalField(
        "设备投资（万元）", null=True, blank=True, max_digits=16, decimal_places=2
    )
    area = models.CharField("所在片区", max_length=50, blank=True)
    notes = models.TextField("备注", blank=True)

    # Written by the daily tick (core.lights), read by lists and the dashboard.
    light = models.CharField("红绿灯", max_length=8, choices=Light.choices, blank=True)
    light_reasons = models.JSONField("亮灯原因", default=list, blank=True)
    light_updated_at = models.DateTimeField("亮灯评估时间", null=True, blank=True)

    objects = live_manager(ProjectQuerySet)
    all_objects = all_manager(ProjectQuerySet)

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_code"],
                condition=~Q(project_code=""),
                name="project_code_unique_when_set",
                violation_error_message="项目代码已被其他项目使用",
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0),
                name="project_total_investment_not_negative",
                violation_error_message="总投资不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(annual_plan__gte=0),
                name="project_annual_plan_not_negative",
                violation_error_message="年度计划投资不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(building_area_m2__isnull=True) | Q(building_area_m2__gte=0),
                name="project_area_not_negative",
                violation_error_message="建筑面积不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(equipment_investment__isnull=True) | Q(equipment_investment__gte=0),
                name="project_equipment_investment_not_negative",
                violation_error_message="设备投资不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="project_year_plausible",
                violation_error_message="清单年度应在 2000–2100 之间",
            ),
        ]
        indexes = [
            # The dashboard's counts read only this index (no table row per project).
            models.Index(
                fields=["year", "category", "current_milestone", "light", "deleted_at", "annual_plan"],
                name="project_year_tallies",
            ),
            # Red and yellow projects in list order: the first 50 without sorting the year's list.
            models.Index(fields=["year", "light", "name"], name="project_year_light"),
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneKind(models.Model):
    """A lifecycle point (签约 … 达产): the list and order are data, seeded from reference/milestones.yaml."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=30)
    order = models.PositiveSmallIntegerField("顺序")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "节点类型"
        verbose_name_plural = "节点类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class MilestoneQuerySet(TrackedQuerySet):
    def for_user(self, user) -> MilestoneQuerySet:
        return self.filter(project__in=Project.objects.for_user(user))


class Milestone(Tracked):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.ForeignKey(MilestoneKind, verbose_name="节点", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField("计划日期", null=True, blank=True)
    actual_on = models.DateField("实际日期", null=True, blank=True)

    objects = live_manager(MilestoneQuerySet)
    all_objects = all_manager(MilestoneQuerySet)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["project", "kind__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="milestone_one_per_kind",
                violation_error_message="该节点已存在",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.kind}"
