from django.contrib import admin

from daiban.audit.models import AuditEntry


class AdminRoleAccess:
    """Every table of the admin site is the admin role's, superuser or not (its permissions are the role,
    not Django's per-model permission rows); other staff see only what Django's permissions grant them."""

    def _admin(self, request) -> bool:
        return request.user.is_active and request.user.has_role("admin")

    def has_module_permission(self, request) -> bool:
        return self._admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return self._admin(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._admin(request) or super().has_delete_permission(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Read-only: the trail is written by services, never edited."""

    list_display = ["at", "actor_name", "action", "model_label", "object_repr", "project"]
    list_filter = ["action", "model_label"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["project"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TrackedAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Admin for Tracked models: saves and deletes go through the audited helpers (soft delete, version bump).

    Note: the admin is the administrators' escape hatch; it does not check versions (last write wins there).
    """

    readonly_fields = ["version", "created_at", "created_by", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        from daiban.audit.models import AuditAction
        from daiban.audit.services import audit_record, update_versioned

        if change:
            plain = [name for name in form.changed_data if not obj._meta.get_field(name).many_to_many]
            changes = {name: form.cleaned_data[name] for name in plain}
            if changes:
                fresh = update_versioned(obj, actor=request.user, expected_version=None, changes=changes)
                obj.version, obj.updated_at, obj.updated_by = (
                    fresh.version,
                    fresh.updated_at,
                    fresh.updated_by,
                )
            return
        obj.created_by = obj.updated_by = request.user
        obj.save()
        audit_record(actor=request.user, action=AuditAction.CREATE, obj=obj, note="管理后台")

    def delete_model(self, request, obj) -> None:
        from daiban.audit.services import soft_delete

        soft_delete(obj, actor=request.user, audit_note="管理后台")

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
