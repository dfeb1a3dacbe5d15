"""The machinery every editable table shares: version, who/when, soft delete — and the audit trail itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrackedQuerySet(models.QuerySet):
    def alive(self) -> TrackedQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> TrackedQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager):
    """Default manager: soft-deleted rows are invisible. Use ``all_objects`` to see them."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


def live_manager(queryset_class: type[models.QuerySet] = TrackedQuerySet) -> LiveManager:
    """A manager hiding soft-deleted rows that keeps the custom queryset methods (e.g. ``for_user``)."""
    return LiveManager.from_queryset(queryset_class)()


def all_manager(queryset_class: type[models.QuerySet] = TrackedQuerySet) -> models.Manager:
    """A manager that also sees soft-deleted rows, with the custom queryset methods."""
    return models.Manager.from_queryset(queryset_class)()


class Tracked(models.Model):
    """Abstract base of every editable model.

    Note: writes go through ``daiban.audit.services`` (create_tracked, update_versioned, soft_delete,
    restore), which bump ``version`` and write an AuditEntry; a plain ``save()`` does neither.
    """

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = live_manager()
    all_objects = all_manager()

    class Meta:
        abstract = True
        # Note: related-object access and refresh_from_db use Django's plain base manager: it sees every row.

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AuditAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    RESTORE = "restore", "恢复"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    SYSTEM = "system", "系统"


class AuditEntry(models.Model):
    """One change to one row: who, when, what (field → [old, new], JSON-safe values)."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    # Note: the name is kept as written so the trail still reads right if the user is renamed or removed.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=16, choices=AuditAction.choices)
    model_label = models.CharField("数据类型", max_length=100)
    object_id = models.CharField("记录编号", max_length=64)
    object_repr = models.CharField("记录名称", max_length=300, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["project", "at"], name="audit_project_at"),
            models.Index(fields=["model_label", "object_id"], name="audit_object"),
            models.Index(fields=["model_label", "id"], name="audit_label_id"),  # audit_latest_id per label
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or '系统'} {self.get_action_display()} {self.object_repr}"
