from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from daiban.accounts.models import Department, User
from daiban.audit.admin import AdminRoleAccess, TrackedAdmin


@admin.register(User)
class UserAdmin(AdminRoleAccess, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "department", "enterprise", "phone", "is_active"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["username", "full_name", "phone"]
    list_select_related = ["department", "enterprise"]
    autocomplete_fields = ["department", "enterprise"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        ("角色与归属", {"fields": ("role", "department", "enterprise")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("角色与归属", {"fields": ("full_name", "role", "department", "enterprise", "phone")}),
    )


@admin.register(Department)
class DepartmentAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "kind", "level", "head_name", "phone"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "short_name"]
