from django.contrib import admin

from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.audit.admin import TrackedAdmin


class CaseSuspensionInline(admin.TabularInline):
    model = CaseSuspension
    fields = ["start", "end", "reason", "note"]
    extra = 0


@admin.register(ApprovalCase)
class ApprovalCaseAdmin(TrackedAdmin):
    list_display = [
        "project",
        "name",
        "stage",
        "department_name",
        "accepted_on",
        "due_on",
        "sla_state",
        "result",
    ]
    list_filter = ["stage", "sla_state", "result", "light", "critical"]
    search_fields = ["name", "item_code", "project__name", "department_name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "department"]
    inlines = [CaseSuspensionInline]


@admin.register(CaseSuspension)
class CaseSuspensionAdmin(TrackedAdmin):
    list_display = ["case", "reason", "start", "end"]
    list_filter = ["reason"]
    list_select_related = ["case", "case__project"]
    raw_id_fields = ["case"]
