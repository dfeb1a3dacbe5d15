"""Catalogue, calendar and rule-set writes: validated as a whole, refused with the culprit named, audited,
and used by the running system (handbooks, SLA clocks, the tick)."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.accounts.permissions import NotPermitted
from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import case_record_acceptance, case_record_submission, cases_generate, tick
from daiban.audit.models import AuditAction, AuditEntry
from daiban.catalogue import services
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting
from daiban.catalogue.selectors import active_catalogue, active_rule_set_name, work_calendar
from daiban.core.errors import DomainError

from .conftest import T0, record

pytestmark = pytest.mark.django_db

NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01~2027-01-03 休 元旦
2027-02-06 至 2027-02-12 休 春节
2027-02-14 班 春节调休上班
2027年2月20日 班 春节调休上班
"""


def audit_of(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(model_label=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    )


# ---------------------------------------------------------------------------------------------- catalogue


def test_a_changed_promise_goes_into_the_next_handbook_and_is_audited(admin_user, project, today):
    item = record("land_use_planning_permit")
    assert active_catalogue().item("land_use_planning_permit").promised_days == 5
    item = services.catalogue_item_update(actor=admin_user, item=item, expected_version=1, promised_days=3)
    assert item.version == 2
    assert active_catalogue().item("land_use_planning_permit").promised_days == 3
    cases_generate(actor=None, project=project)
    case = ApprovalCase.objects.get(project=project, item_code="land_use_planning_permit")
    assert case.promised_days == 3
    entry = audit_of(item)[-1]
    assert (entry.action, entry.actor, entry.changes) == (
        AuditAction.UPDATE,
        admin_user,
        {"promised_days": [5, 3]},
    )


@pytest.mark.parametrize(
    ("code", "changes", "named"),
    [
        ("enterprise_filing", {"applies_when": "{field: no_such_fact, op: eq, value: 1}"}, "no_such_fact"),
        ("enterprise_filing", {"applies_when": "{field: approval_mode, op: like, value: filing}"}, "like"),
        ("enterprise_filing", {"waived_when": "{field: [unclosed"}, "YAML"),
        ("enterprise_filing", {"prerequisites": ["project_code_assign", "no_such_item"]}, "no_such_item"),
        (
            "project_code_assign",
            {"prerequisites": ["enterprise_filing"]},
            "project_code_assign → enterprise_filing",
        ),
        ("project_code_assign", {"promised_days": 2}, "长于法定时限"),
    ],
)
def test_an_invalid_edit_is_refused_naming_the_culprit_and_nothing_is_saved(admin_user, code, changes, named):
    item = record(code)
    before = (item.version, {name: getattr(item, name) for name in changes})
    entries, used = AuditEntry.objects.count(), active_catalogue().item(code)
    with pytest.raises(DomainError) as refused:
        services.catalogue_item_update(actor=admin_user, item=item, expected_version=None, **changes)
    assert "事项库校验未通过" in str(refused.value) and named in str(refused.value)
    assert code in str(refused.value) or "→" in named
    item.refresh_from_db()
    assert (item.version, {name: getattr(item, name) for name in changes}) == before
    assert AuditEntry.objects.count() == entries and active_catalogue().item(code) == used


def test_an_item_another_one_needs_can_be_neither_deactivated_nor_deleted(admin_user):
    item = record("project_code_assign")
    with pytest.raises(DomainError, match="前置事项 'project_code_assign' 已停用"):
        services.catalogue_item_update(actor=admin_user, item=item, expected_version=None, active=False)
    with pytest.raises(DomainError, match="前置事项 'project_code_assign' 不存在"):
        services.catalogue_item_delete(actor=admin_user, item=item)
    assert ApprovalItemRecord.objects.get(pk=item.pk).active


def test_a_new_item_joins_the_catalogue_and_its_code_stays(admin_user):
    fields = {
        "code": "traffic_impact",
        "name": "交通影响评价审查",
        "stage": "works_permit",
        "department": "区交通委员会",
        "statutory_days": 20,
        "statutory_source": "district default",
        "promised_days": 10,
        "promised_source": "district default",
        "prerequisites": ["project_code_assign"],
        "applies_when": "{field: building_area_m2, op: ge, value: 20000}",
        "order": 15,
    }
    item = services.catalogue_item_create(actor=admin_user, **fields)
    catalogue = active_catalogue()
    assert [i.code for i in catalogue][:2] == ["project_code_assign", "traffic_impact"]
    assert catalogue.item("traffic_impact").applies_when.describe() == "总建筑面积（平方米） 不小于 20000"
    assert audit_of(item)[0].action == AuditAction.CREATE
    with pytest.raises(DomainError, match="事项代码 'traffic_impact' 重复"):
        services.catalogue_item_create(actor=admin_user, **fields)
    with pytest.raises(DomainError, match="编码创建后不能修改"):
        services.catalogue_item_update(actor=admin_user, item=item, expected_version=None, code="other")
    services.catalogue_item_delete(actor=admin_user, item=item)
    assert "traffic_impact" not in active_catalogue()
    assert ApprovalItemRecord.all_objects.get(pk=item.pk).is_deleted


def test_only_administrators_change_the_catalogue_the_calendar_and_the_rules(butler, dispatcher):
    for actor in (butler, dispatcher, None):
        with pytest.raises(NotPermitted):
            services.catalogue_item_update(
                actor=actor, item=record("gov_proposal"), expected_version=None, promised_days=1
            )
        with pytest.raises(NotPermitted):
            services.calendar_day_mark(actor=actor, day=T0, workday=False, name="台风停工")
        with pytest.raises(NotPermitted):
            services.calendar_year_load(actor=actor, year=2027, notice="x", text=NOTICE_2027)
        with pytest.raises(NotPermitted):
            services.light_rule_set_select(actor=actor, name="wuhan")


# ---------------------------------------------------------------------------------------------- calendar


def accept(case: ApprovalCase, on: dt.date) -> ApprovalCase:
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=on)


def test_a_marked_rest_day_moves_the_due_date_of_a_running_case(admin_user, project, today):
    cases_generate(actor=None, project=project)
    case = accept(ApprovalCase.objects.get(project=project, item_code="land_use_planning_permit"), T0)
    assert case.due_on == dt.date(2026, 3, 9)  # 5 working days after Monday 2 March
    assert planning.calendar().add_workdays(dt.date(2026, 3, 3), 1) == dt.date(2026, 3, 4)

    day = services.calendar_day_mark(
        actor=admin_user, day=dt.date(2026, 3, 4), workday=False, name="台风停工"
    )
    assert planning.calendar().add_workdays(dt.date(2026, 3, 3), 1) == dt.date(2026, 3, 5)
    assert planning.calendar().day_info(dt.date(2026, 3, 4)).kind == "holiday"
    tick(today=dt.date(2026, 3, 3))
    assert ApprovalCase.objects.get(pk=case.pk).due_on == dt.date(2026, 3, 10)
    assert audit_of(day)[0].changes["name"] == [None, "台风停工"]

    services.calendar_day_delete(actor=admin_user, calendar_day=day)
    assert planning.calendar().add_workdays(dt.date(2026, 3, 3), 1) == dt.date(2026, 3, 4)
    assert [entry.action for entry in audit_of(day)] == [AuditAction.CREATE, AuditAction.DELETE]


def test_marking_a_day_again_updates_it_and_a_day_outside_the_calendar_is_refused(admin_user):
    first = services.calendar_day_mark(actor=admin_user, day=dt.date(2026, 3, 7), workday=True, name="补班")
    again = services.calendar_day_mark(
        actor=admin_user, day=dt.date(2026, 3, 7), workday=True, name="区级补班"
    )
    assert again.pk == first.pk and again.version == 2 and work_calendar().is_workday(dt.date(2026, 3, 7))
    with pytest.raises(DomainError, match="超出工作日历范围"):
        services.calendar_day_mark(actor=admin_user, day=dt.date(2040, 1, 2), workday=False, name="x")


def test_loading_a_new_year_makes_it_official(admin_user):
    assert not work_calendar().is_official(2027)
    assert not work_calendar().is_workday(dt.date(2027, 2, 14))  # a Sunday
    row = services.calendar_year_load(
        actor=admin_user, year=2027, notice="国办发明电〔2026〕9号", text=NOTICE_2027
    )
    calendar = planning.calendar()
    assert calendar.is_official(2027) and calendar.notice(2027) == "国办发明电〔2026〕9号"
    assert calendar.is_workday(dt.date(2027, 2, 14)) and calendar.is_workday(dt.date(2027, 2, 20))
    assert not calendar.is_workday(dt.date(2027, 2, 8))  # a Monday of the Spring Festival
    assert calendar.day_info(dt.date(2027, 2, 8)).name == "春节"
    assert CalendarDay.objects.filter(official=True, day__year=2027).count() == 12
    assert audit_of(row)[0].note == "载入放假通知 国办发明电〔2026〕9号"

    # Loading again applies the differences only, each audited.
    changed = NOTICE_2027.replace("2027年2月20日 班", "2027-02-20 休")
    services.calendar_year_load(actor=admin_user, year=2027, notice="国办发明电〔2026〕9号", text=changed)
    assert not planning.calendar().is_workday(dt.date(2027, 2, 20))
    day = CalendarDay.objects.get(day=dt.date(2027, 2, 20), official=True)
    assert day.version == 2 and audit_of(day)[-1].changes["workday"] == [True, False]
    assert CalendarYear.objects.get(year=2027).version == 2


def test_a_local_change_wins_over_the_notice_and_withdrawing_the_notice_restores_the_shipped_year(admin_user):
    row = services.calendar_year_load(
        actor=admin_user, year=2027, notice="国办发明电〔2026〕9号", text=NOTICE_2027
    )
    services.calendar_day_mark(actor=admin_user, day=dt.date(2027, 2, 14), workday=False, name="区内停工")
    assert not work_calendar().is_workday(dt.date(2027, 2, 14))
    services.calendar_year_delete(actor=admin_user, calendar_year=row)
    assert not work_calendar().is_official(2027)
    assert not CalendarDay.objects.filter(official=True).exists()
    assert CalendarDay.objects.filter(official=False).count() == 1


def test_reloading_a_shipped_official_year_replaces_its_days(admin_user):
    assert not work_calendar().is_workday(dt.date(2026, 2, 17))  # 春节 in the shipped notice
    services.calendar_year_load(actor=admin_user, year=2026, notice="更正通知", text="2026-03-02 休 测试假日")
    calendar = work_calendar()
    assert calendar.is_workday(dt.date(2026, 2, 17)) and not calendar.is_workday(dt.date(2026, 3, 2))
    assert calendar.notice(2026) == "更正通知"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-30 休 春节", "第 1 行：日期 2027-02-30 不存在"),
        ("\n2027-02-06 放 春节", "第 2 行：“2027-02-06 放 春节”缺少“休”或“班”"),
        ("2027-02-06 休", "缺少名称"),
        ("2028-01-01 休 元旦", "2028-01-01 不属于 2027 年"),
        ("2027-02-06 休 春节\n2027-02-05~2027-02-07 休 春节", "第 2 行：2027-02-06 与第 1 行重复"),
        ("春节 2027-02-06", "应以日期开头"),
        ("# 只有注释\n", "没有读到任何日期"),
    ],
)
def test_a_malformed_notice_is_refused_by_line_and_nothing_is_written(admin_user, text, message):
    with pytest.raises(DomainError) as refused:
        services.calendar_year_load(actor=admin_user, year=2027, notice="国办发明电〔2026〕9号", text=text)
    assert message in str(refused.value)
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not work_calendar().is_official(2027)


def test_notice_lines_in_several_shapes():
    days = services.parse_notice(
        "2027/10/01—2027/10/03 放假 国庆节\n2027-9-26 上班 国庆节调休上班\n2027-10-04 休国庆节", year=2027
    )
    assert [(d.day.isoformat(), d.workday, d.name) for d in days] == [
        ("2027-09-26", True, "国庆节调休上班"),
        ("2027-10-01", False, "国庆节"),
        ("2027-10-02", False, "国庆节"),
        ("2027-10-03", False, "国庆节"),
        ("2027-10-04", False, "国庆节"),
    ]


# ---------------------------------------------------------------------------------------------- light rules


def test_the_tick_applies_the_rule_set_an_admin_chose(admin_user, project, monkeypatch):
    """(``project``: the tick evaluates lights only when there is a project.)"""
    from daiban.approvals.services import daily

    used = []
    monkeypatch.setattr(
        daily, "_tick_lights", lambda part, **kwargs: used.append(kwargs["rules"].name) or (0, 0)
    )
    assert active_rule_set_name() == "default"
    tick(today=T0)
    setting = services.light_rule_set_select(actor=admin_user, name="yinchuan")
    assert setting.version == 2 and audit_of(setting)[-1].changes == {"rule_set": ["default", "yinchuan"]}
    tick(today=T0)
    tick(today=T0, rule_set="wuhan")  # an explicit choice (the CLI's --rules) still wins
    assert used == ["default", "yinchuan", "wuhan"]
    with pytest.raises(DomainError, match="未知的红绿灯规则集“nope”"):
        services.light_rule_set_select(actor=admin_user, name="nope")
    assert LightRuleSetting.objects.get().rule_set == "yinchuan"
