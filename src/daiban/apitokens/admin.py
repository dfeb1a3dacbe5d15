from django.contrib import admin

from daiban.apitokens.models import ApiToken
from daiban.audit.admin import AdminRoleAccess


@admin.register(ApiToken)
class ApiTokenAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Tokens are created with `daiban token create` (the key is shown once there); here they are listed and
    revoked."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "user__full_name", "name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False
