from django.contrib import admin

from daiban.audit.admin import AdminRoleAccess, TrackedAdmin
from daiban.projects.models import Enterprise, Milestone, MilestoneKind, Project


@admin.register(Enterprise)
class EnterpriseAdmin(TrackedAdmin):
    list_display = ["name", "uscc", "industry", "contact_name", "contact_phone"]
    search_fields = ["name", "uscc"]


class MilestoneInline(AdminRoleAccess, admin.TabularInline):
    model = Milestone
    fields = ["kind", "planned_on", "actual_on"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(TrackedAdmin):
    list_display = ["name", "year", "category", "enterprise", "butler", "current_milestone", "light"]
    list_filter = ["year", "category", "light", "investment_type", "statistics_registered"]
    search_fields = ["name", "project_code", "enterprise__name"]
    list_select_related = ["enterprise", "butler"]
    autocomplete_fields = ["enterprise", "butler", "responsible_department"]
    filter_horizontal = ["specialists"]
    readonly_fields = [*TrackedAdmin.readonly_fields, "light", "light_reasons", "light_updated_at"]


@admin.register(MilestoneKind)
class MilestoneKindAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["order", "code", "name", "is_active"]
    list_display_links = ["code"]
    ordering = ["order"]
