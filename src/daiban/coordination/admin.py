"""Admin: the 督办 ladder is data an administrator edits; issues are shown read-only (pages edit them)."""

from __future__ import annotations

from django.contrib import admin

from daiban.audit.admin import TrackedAdmin
from daiban.coordination.models import CoordinationIssue, EscalationLevel, IssueHolding


def _is_admin(request) -> bool:
    return bool(request.user.is_active and request.user.has_role("admin"))


@admin.register(EscalationLevel)
class EscalationLevelAdmin(TrackedAdmin):
    list_display = ["order", "name", "holder", "extra_days", "is_active"]
    list_editable = ["name", "holder", "extra_days", "is_active"]
    ordering = ["order"]

    def has_module_permission(self, request) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_admin(request)


class IssueHoldingInline(admin.TabularInline):
    model = IssueHolding
    extra = 0
    fields = ["level", "level_name", "holder_label", "started_on", "due_on", "ended_on", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CoordinationIssue)
class CoordinationIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "department", "status", "raised_on", "due_on", "level"]
    list_filter = ["status", "category", "level", "source"]
    search_fields = ["title", "project__name"]
    inlines = [IssueHoldingInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_module_permission(self, request) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
