"""Admin screens for the catalogue (事项库), the working-day calendar and the light rule set.

Administrators only (role admin or a superuser). Every save and delete goes through catalogue.services, which
validate (the whole catalogue, the calendar's range) and audit; a refused change is a form error or a message.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from daiban.catalogue import selectors, services
from daiban.catalogue.convert import CONDITION_DEFAULTS, CONDITION_LABELS, condition_spec
from daiban.catalogue.forms import ApprovalItemForm, CalendarDayForm, LightRuleSettingForm, NoticeLoadForm
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting
from daiban.catalogue.permissions import can_manage_catalogue
from daiban.core.catalogue import DAY_UNITS, PROJECT_FACTS
from daiban.core.errors import DomainError
from daiban.core.lights import load_rule_sets
from daiban.core.rules import parse_condition

BOOKKEEPING = ("version", "created_at", "created_by", "updated_at", "updated_by")
RECORD = ("记录", {"fields": BOOKKEEPING, "classes": ("collapse",)})
WEEKDAYS = "一二三四五六日"


class AdminOnly(admin.ModelAdmin):
    """Pages for administrators only; saves and deletes go through the services (see the subclasses)."""

    def _allowed(self, request: HttpRequest) -> bool:
        return can_manage_catalogue(actor=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def get_actions(self, request: HttpRequest) -> dict:
        # Note: no bulk delete: each delete is validated on its own and may be refused.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @staticmethod
    def _copy_saved(obj: Any, fresh: Any) -> None:
        """The admin logs and redirects with ``obj``: give it the saved row's id and bookkeeping."""
        obj.pk = fresh.pk
        for name in (*BOOKKEEPING, "deleted_at"):
            setattr(obj, name, getattr(fresh, name))

    def _refuse_delete(self, request: HttpRequest, object_id: str, check) -> HttpResponse | None:
        """On the delete confirmation's POST: a refused delete is a message on the change page, not a 500."""
        obj = self.get_object(request, unquote(object_id)) if request.method == "POST" else None
        if obj is None:
            return None
        try:
            check(obj)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return None


# ---------------------------------------------------------------------------------------------- catalogue


@admin.register(ApprovalItemRecord)
class ApprovalItemRecordAdmin(AdminOnly):
    form = ApprovalItemForm
    list_display = ["code", "name", "stage", "department", "statutory", "promised", "active", "order"]
    list_filter = ["active", "stage", "path", "level", "commitment", "department"]
    search_fields = ["code", "name", "department"]
    ordering = ["order", "code"]
    fieldsets = (
        (None, {"fields": ("code", "name", "path", "stage", "order", "active", "expected_version")}),
        ("审批部门", {"fields": ("department", "department_code", "level", "delegated")}),
        (
            "时限",
            {
                "fields": (
                    ("statutory_days", "statutory_unit", "extension_days"),
                    "statutory_source",
                    ("promised_days", "promised_unit"),
                    "promised_source",
                )
            },
        ),
        (
            "办理方式",
            {
                "fields": (
                    "prerequisites",
                    ("commitment", "regional_assessment", "tolerated_gap"),
                    "materials",
                    "description",
                )
            },
        ),
        (
            "条件（规则语言）",
            {
                "fields": ("applies_when", "commitment_when", "waived_when", "conditions_explained"),
                "description": (
                    "每个条件写作 {field: 字段, op: 运算, value: 值}，可用 all / any / not 组合；"
                    "运算：eq ne lt le gt ge in not_in contains is_set。字段："
                    + "、".join(f"{name}（{field.label}）" for name, field in PROJECT_FACTS.items())
                ),
            },
        ),
        RECORD,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        fixed = ("code",) if obj is not None else ()
        return (*fixed, "conditions_explained", *BOOKKEEPING)

    @admin.display(description="法定时限")
    def statutory(self, obj: ApprovalItemRecord) -> str:
        return _limit(obj.statutory_days, obj.statutory_unit)

    @admin.display(description="承诺时限")
    def promised(self, obj: ApprovalItemRecord) -> str:
        return _limit(obj.promised_days, obj.promised_unit)

    @admin.display(description="条件说明")
    def conditions_explained(self, obj: ApprovalItemRecord) -> str:
        lines = []
        for key in CONDITION_DEFAULTS:
            try:
                spec = condition_spec(getattr(obj, key), code=obj.code, key=key)
                text = "不免办" if spec is None else parse_condition(spec, PROJECT_FACTS).describe()
            except DomainError as error:
                text = f"有误：{error}"
            lines.append((CONDITION_LABELS[key], text))
        return format_html_join(mark_safe("<br>"), "{}：{}", lines)

    def save_model(self, request: HttpRequest, obj: ApprovalItemRecord, form, change: bool) -> None:
        changes = form.changes()
        if change:
            changes.pop("code", None)
            expected = form.cleaned_data.get("expected_version")
            fresh = services.catalogue_item_update(
                actor=request.user, item=obj, expected_version=expected, **changes
            )
        else:
            fresh = services.catalogue_item_create(actor=request.user, **changes)
        self._copy_saved(obj, fresh)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None):
        check = lambda obj: services.catalogue_check(item=obj, remove=True)  # noqa: E731
        return self._refuse_delete(request, object_id, check) or super().delete_view(
            request, object_id, extra_context
        )

    def delete_model(self, request: HttpRequest, obj: ApprovalItemRecord) -> None:
        services.catalogue_item_delete(actor=request.user, item=obj)


def _limit(days: int, unit: str) -> str:
    return f"{days} {DAY_UNITS.get(unit, unit)}"


# ---------------------------------------------------------------------------------------------- calendar


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = sorted({day.year for day in CalendarDay.objects.dates("day", "year")}, reverse=True)
        return [(str(year), f"{year} 年") for year in years]

    def queryset(self, request: HttpRequest, queryset):
        value = self.value()
        return queryset.filter(day__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(AdminOnly):
    form = CalendarDayForm
    change_list_template = "admin/catalogue/calendarday/change_list.html"
    list_display = ["day", "weekday", "kind", "name", "official", "note", "updated_by", "updated_at"]
    list_filter = [YearFilter, "official", "workday"]
    search_fields = ["name", "note"]
    date_hierarchy = "day"
    list_select_related = ["updated_by"]
    fieldsets = (
        (None, {"fields": ("day", "workday", "name", "note", "official", "expected_version")}),
        RECORD,
    )
    readonly_fields = ("official", *BOOKKEEPING)

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return f"星期{WEEKDAYS[obj.day.weekday()]}"

    @admin.display(description="上班/休息")
    def kind(self, obj: CalendarDay) -> str:
        return "上班" if obj.workday else "休息"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.month_view)
        return [path("month/", view, name="catalogue_calendarday_month"), *super().get_urls()]

    def save_model(self, request: HttpRequest, obj: CalendarDay, form, change: bool) -> None:
        changes = form.changes()
        if change:
            expected = form.cleaned_data.get("expected_version")
            fresh = services.calendar_day_update(
                actor=request.user, calendar_day=obj, expected_version=expected, **changes
            )
        else:
            fresh = services.calendar_day_mark(actor=request.user, **changes)
        self._copy_saved(obj, fresh)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.calendar_day_delete(actor=request.user, calendar_day=obj)

    def month_view(self, request: HttpRequest) -> HttpResponse:
        """月历: one month of the calendar every approval computation uses, with the day kinds."""
        if not self.has_view_permission(request):
            raise _denied()
        calendar = selectors.work_calendar()
        year, month = _month_param(request.GET.get("m"), calendar)
        days = calendar.month(year, month)
        blanks = [None] * days[0].day.weekday()
        cells = [*blanks, *days]
        cells += [None] * (-len(cells) % 7)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{year} 年 {month} 月 工作日历",
            "weeks": [cells[k : k + 7] for k in range(0, len(cells), 7)],
            "weekday_names": WEEKDAYS,
            "official": calendar.is_official(year),
            "notice": calendar.notice(year),
            "workdays": sum(day.workday for day in days),
            "previous": _shift(year, month, -1, calendar),
            "next": _shift(year, month, 1, calendar),
        }
        return TemplateResponse(request, "admin/catalogue/calendarday/month.html", context)


def _denied():
    from django.core.exceptions import PermissionDenied

    return PermissionDenied()


def _month_param(value: str | None, calendar) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    first = min(max(first, calendar.first.replace(day=1)), calendar.last.replace(day=1))
    return first.year, first.month


def _shift(year: int, month: int, by: int, calendar) -> str | None:
    index = year * 12 + month - 1 + by
    first = dt.date(index // 12, index % 12 + 1, 1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    inside = calendar.first <= first and last <= calendar.last
    return f"{first.year}-{first.month:02d}" if inside else None


@admin.register(CalendarYear)
class CalendarYearAdmin(AdminOnly):
    list_display = ["year", "notice", "day_count", "loaded_at", "updated_by"]
    list_select_related = ["updated_by"]
    fields = ("year", "notice", "note", "loaded_at", *BOOKKEEPING)
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a notice is changed by loading it again

    @admin.display(description="日期数")
    def day_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(official=True, day__year=obj.year).count()

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.load_view)
        return [path("load/", view, name="catalogue_calendaryear_load"), *super().get_urls()]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None):
        return HttpResponseRedirect(reverse("admin:catalogue_calendaryear_load"))

    def load_view(self, request: HttpRequest) -> HttpResponse:
        """载入新一年放假安排: paste or upload the notice's days; the year becomes official."""
        if not self.has_add_permission(request):
            raise _denied()
        initial = {"year": timezone.localdate().year + 1}
        form = NoticeLoadForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.calendar_year_load(
                    actor=request.user,
                    year=data["year"],
                    notice=data["notice"],
                    text=data["text"],
                    note=data["note"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                count = CalendarDay.objects.filter(official=True, day__year=data["year"]).count()
                message = f"已载入 {data['year']} 年放假安排（{count} 个日期），该年按正式通知计算工作日"
                self.message_user(request, message, messages.SUCCESS)
                changelist = reverse("admin:catalogue_calendarday_changelist")
                return HttpResponseRedirect(f"{changelist}?year={data['year']}&official__exact=1")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "载入新一年放假安排",
            "form": form,
            "years": _year_statuses(),
        }
        return TemplateResponse(request, "admin/catalogue/calendaryear/load.html", context)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        services.calendar_year_delete(actor=request.user, calendar_year=obj)


def _year_statuses() -> list[dict[str, Any]]:
    """Every year of the calendar: official (with its notice) or provisional, and loaded here or shipped."""
    calendar = selectors.work_calendar()
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    return [
        {
            "year": year,
            "official": calendar.is_official(year),
            "notice": calendar.notice(year) or "",
            "loaded": year in loaded,
        }
        for year in range(calendar.first.year, calendar.last.year + 1)
    ]


# ---------------------------------------------------------------------------------------------- light rules


@admin.register(LightRuleSetting)
class LightRuleSettingAdmin(AdminOnly):
    form = LightRuleSettingForm
    list_display = ["rule_set", "title", "updated_by", "updated_at"]
    fields = ("rule_set", "expected_version", "rule_sets_described", *BOOKKEEPING)
    readonly_fields = ("rule_sets_described", *BOOKKEEPING)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request) and not LightRuleSetting.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="名称")
    def title(self, obj: LightRuleSetting) -> str:
        rules = load_rule_sets().get(obj.rule_set)
        return rules.title if rules else "（未知规则集）"

    @admin.display(description="可选规则集")
    def rule_sets_described(self, obj: Any) -> str:
        rows = [(name, rules.title, rules.source) for name, rules in load_rule_sets().items()]
        return format_html_join(mark_safe("<br><br>"), "<b>{}</b> {}：{}", rows)

    def save_model(self, request: HttpRequest, obj: LightRuleSetting, form, change: bool) -> None:
        fresh = services.light_rule_set_select(actor=request.user, name=form.cleaned_data["rule_set"])
        self._copy_saved(obj, fresh)
