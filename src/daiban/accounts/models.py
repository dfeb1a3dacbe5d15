"""Users (one role each) and departments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from daiban.audit.models import Tracked


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    LEADER = "leader", "领导"
    DISPATCHER = "dispatcher", "调度"
    BUTLER = "butler", "项目管家"
    SPECIALIST = "specialist", "服务专员"
    ENTERPRISE = "enterprise", "企业"


# Roles that see every project (the whole district's pipeline).
ALL_PROJECT_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DISPATCHER})


class DepartmentKind(models.TextChoices):
    APPROVAL = "approval", "审批部门"
    RESPONSIBLE = "responsible", "责任单位"
    BOTH = "both", "审批部门兼责任单位"


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    DISTRICT = "district", "区级"


class Department(Tracked):
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField(
        "类型", max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.BOTH
    )
    level = models.CharField("层级", max_length=16, choices=Level.choices, default=Level.DISTRICT)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    head_name = models.CharField("负责人", max_length=50, blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=40, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "projects.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False),
                name="user_enterprise_role_has_enterprise",
                violation_error_message="企业用户必须指定所属企业",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        """True when the user is active and holds one of ``roles``; a superuser counts as admin."""
        if not self.is_active:
            return False
        return self.role in roles or (self.is_superuser and Role.ADMIN in roles)

    @property
    def sees_all_projects(self) -> bool:
        return self.has_role(*ALL_PROJECT_ROLES)
