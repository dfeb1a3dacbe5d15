from django.contrib import admin

from daiban.audit.admin import TrackedAdmin
from daiban.investment.models import InvestmentTarget, MonthlyInvestment


@admin.register(MonthlyInvestment)
class MonthlyInvestmentAdmin(TrackedAdmin):
    list_display = ["project", "year", "month", "amount", "funds_in_place"]
    list_filter = ["year", "month"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(InvestmentTarget)
class InvestmentTargetAdmin(TrackedAdmin):
    list_display = ["year", "amount"]
