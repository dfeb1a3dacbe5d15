"""The admin screens: administrators only, in Chinese; a refused edit is a form error and saves nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from daiban.audit.models import AuditAction, AuditEntry
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting
from daiban.catalogue.selectors import active_catalogue, work_calendar

from .conftest import record

pytestmark = pytest.mark.django_db

MODELS = (ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:catalogue_{model._meta.model_name}_{view}", args=args)


def pages() -> list[str]:
    item = record("construction_permit")
    return [
        reverse("admin:app_list", args=["catalogue"]),
        *(url(model, "changelist") for model in MODELS),
        url(ApprovalItemRecord, "add"),
        url(ApprovalItemRecord, "change", item.pk),
        url(ApprovalItemRecord, "delete", item.pk),
        url(CalendarDay, "add"),
        url(LightRuleSetting, "change", LightRuleSetting.objects.get().pk),
        reverse("admin:catalogue_calendarday_month") + "?m=2026-02",
        reverse("admin:catalogue_calendaryear_load"),
    ]


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(page) -> dict:
    """The change form's current values as the browser would post them."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = field.prepare_value(value) if name in ("prerequisites", "materials") else value
    return data


def test_every_model_and_field_has_a_chinese_name():
    for model in MODELS:
        assert model in admin.site._registry
        assert not str(model._meta.verbose_name).isascii(), model
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and not field.auto_created:
                assert not str(field.verbose_name).isascii(), (model, field.name)


def test_the_pages_render_for_an_administrator(admin_web):
    for page in pages():
        response = admin_web.get(page)
        assert response.status_code == 200, page
    month = admin_web.get(reverse("admin:catalogue_calendarday_month") + "?m=2026-02").content.decode()
    assert "春节" in month and "国办发明电〔2025〕7号" in month


def test_the_pages_are_refused_to_a_butler(client, butler, user_factory):
    client.force_login(butler)  # no staff flag: sent to the sign-in page
    for page in pages():
        response = client.get(page)
        assert response.status_code == 302 and "login" in response["Location"], page
    client.force_login(user_factory(username="staff_butler", role="butler", is_staff=True))
    for page in pages()[1:]:
        assert client.get(page).status_code == 403, page
    assert client.get(reverse("admin:index")).content.decode().count("事项库") == 0


def test_an_invalid_condition_is_a_form_error_naming_the_item_and_nothing_is_saved(admin_web):
    item = record("enterprise_filing")
    page = admin_web.get(url(ApprovalItemRecord, "change", item.pk))
    data = form_data(page) | {"applies_when": "{field: approval_mode, op: like, value: filing}"}
    response = admin_web.post(url(ApprovalItemRecord, "change", item.pk), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "事项 'enterprise_filing' 的适用条件（applies_when）有误" in errors and "like" in errors
    assert ApprovalItemRecord.objects.get(pk=item.pk).version == 1
    assert not AuditEntry.objects.filter(model_label="catalogue.approvalitemrecord").exists()


def test_a_cycle_added_in_the_admin_is_refused(admin_web):
    item = record("project_code_assign")
    page = admin_web.get(url(ApprovalItemRecord, "change", item.pk))
    data = form_data(page) | {"prerequisites": "enterprise_filing"}
    response = admin_web.post(url(ApprovalItemRecord, "change", item.pk), data)
    assert response.status_code == 200
    assert "前置事项存在循环" in response.content.decode()
    assert record("project_code_assign").prerequisites == []


def test_an_admin_edit_is_saved_versioned_and_audited(admin_web, admin_user):
    item = record("land_use_planning_permit")
    page = admin_web.get(url(ApprovalItemRecord, "change", item.pk))
    data = form_data(page) | {"promised_days": 3, "materials": "建设工程规划许可申请表\n设计方案"}
    response = admin_web.post(url(ApprovalItemRecord, "change", item.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = record("land_use_planning_permit")
    assert (item.version, item.promised_days, item.materials) == (
        2,
        3,
        ["建设工程规划许可申请表", "设计方案"],
    )
    assert active_catalogue().item("land_use_planning_permit").promised_days == 3
    entry = AuditEntry.objects.get(model_label="catalogue.approvalitemrecord", object_id=str(item.pk))
    assert entry.actor == admin_user and entry.changes["promised_days"] == [5, 3]

    # The page read before this save is stale now: its save is refused, not applied over it.
    stale = admin_web.post(url(ApprovalItemRecord, "change", item.pk), data | {"promised_days": 4})
    assert stale.status_code == 200 and "请刷新后重试" in stale.content.decode()
    assert record("land_use_planning_permit").promised_days == 3


def test_deleting_an_item_another_one_needs_is_refused_with_a_message(admin_web):
    item = record("project_code_assign")
    response = admin_web.post(url(ApprovalItemRecord, "delete", item.pk), {"post": "yes"}, follow=True)
    assert "前置事项 'project_code_assign' 不存在" in text(response)
    assert ApprovalItemRecord.objects.filter(pk=item.pk).exists()


def test_marking_a_day_in_the_admin_moves_the_api_answer(admin_web, butler):
    response = admin_web.post(
        url(CalendarDay, "add"),
        {"day": "2026-03-04", "workday": "", "name": "台风停工", "note": "区防汛指挥部通知"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert (day.day, day.workday, day.official) == (dt.date(2026, 3, 4), False, False)
    assert AuditEntry.objects.get(model_label="catalogue.calendarday").action == AuditAction.CREATE
    reader = Client()
    reader.force_login(butler)
    answer = reader.get("/api/v1/calendar/add", {"d": "2026-03-03", "n": 1}).json()
    assert answer["date"] == "2026-03-05"
    again = admin_web.post(url(CalendarDay, "add"), {"day": "2026-03-04", "workday": "on", "name": "x"})
    assert again.status_code == 200 and "已有一条调整" in again.content.decode()


def test_loading_a_new_year_in_the_admin_makes_it_official(admin_web):
    upload = SimpleUploadedFile(
        "2027.txt", "2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节调休上班\n".encode("gb18030")
    )
    response = admin_web.post(
        reverse("admin:catalogue_calendaryear_load"),
        {"year": 2027, "notice": "国办发明电〔2026〕9号", "text": "", "upload": upload},
    )
    assert response.status_code == 302 and "year=2027" in response["Location"]
    assert work_calendar().is_official(2027) and work_calendar().is_workday(dt.date(2027, 2, 14))
    assert CalendarYear.objects.get().notice == "国办发明电〔2026〕9号"

    bad = admin_web.post(
        reverse("admin:catalogue_calendaryear_load"),
        {"year": 2028, "notice": "国办发明电〔2027〕1号", "text": "2028-02-30 休 春节"},
    )
    assert bad.status_code == 200 and "第 1 行：日期 2028-02-30 不存在" in bad.content.decode()
    assert not work_calendar().is_official(2028)


def test_the_rule_set_is_chosen_from_the_shipped_ones(admin_web):
    setting = LightRuleSetting.objects.get()
    change = url(LightRuleSetting, "change", setting.pk)
    page = admin_web.get(change)
    assert "银川规则" in page.content.decode()
    response = admin_web.post(change, {"rule_set": "yinchuan", "expected_version": 1})
    assert response.status_code == 302
    assert LightRuleSetting.objects.get().rule_set == "yinchuan"
    refused = admin_web.post(change, {"rule_set": "nope", "expected_version": 2})
    assert refused.status_code == 200 and LightRuleSetting.objects.get().rule_set == "yinchuan"
