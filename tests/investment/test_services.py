"""Recording monthly investment and setting the year's target: upsert, audit, versions, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from daiban.accounts.permissions import NotPermitted
from daiban.audit.models import AuditEntry
from daiban.audit.services import ConcurrentEditError, soft_delete
from daiban.core.errors import DomainError
from daiban.core.pacing import STRONG_START, parse_curve
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.investment.selectors import investment_summary
from daiban.investment.services import investment_record, target_set
from daiban.projects.models import Project

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2025  # always in the past, so no month of it is refused as future


def record(actor, project, month=3, amount="100", funds="80", **extra):
    year = extra.pop("year", YEAR)
    return investment_record(
        actor=actor, project=project, year=year, month=month, amount=amount, funds_in_place=funds, **extra
    )


def test_record_creates_the_month_and_audits_it(project, butler):
    row = record(butler, project, amount="100.5", funds=D("80"))
    assert (row.year, row.month, row.amount, row.funds_in_place, row.version) == (
        YEAR,
        3,
        D("100.50"),
        D("80"),
        1,
    )
    entry = AuditEntry.objects.get(model_label="investment.monthlyinvestment", object_id=str(row.pk))
    assert entry.action == "create" and entry.project_id == project.pk and entry.actor == butler
    assert entry.changes["amount"] == [None, "100.50"]


def test_recording_the_same_month_again_corrects_it(project, butler, dispatcher):
    first = record(butler, project, amount="100")
    second = record(dispatcher, project, amount="150", funds="80.00", expected_version=first.version)
    assert second.pk == first.pk and second.version == 2
    assert MonthlyInvestment.objects.filter(project=project).count() == 1
    entry = AuditEntry.objects.get(model_label="investment.monthlyinvestment", action="update")
    # Only the amount changed: 80 and 80.00 are the same funds.
    assert entry.changes == {"amount": ["100.00", "150.00"]}
    assert entry.actor == dispatcher


def test_a_stale_version_is_refused_and_nothing_changes(project, butler, dispatcher):
    row = record(butler, project, amount="100")
    record(dispatcher, project, amount="120", expected_version=row.version)
    with pytest.raises(ConcurrentEditError, match="该记录已被 钱调度 于"):
        record(butler, project, amount="999", expected_version=row.version)
    assert MonthlyInvestment.objects.get(pk=row.pk).amount == D("120")


def test_a_future_month_is_refused(project, butler):
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    with pytest.raises(DomainError, match=f"{year}年{month}月尚未到来"):
        record(butler, project, year=year, month=month)
    assert (
        record(butler, project, year=today.year, month=today.month).month == today.month
    )  # this month is fine


@pytest.mark.parametrize(
    ("amount", "funds", "message"),
    [
        ("-1", "0", "当月完成投资不能为负数：-1"),
        ("10", "-0.01", "当月到位资金不能为负数"),
        ("abc", "0", "当月完成投资不是有效金额：abc"),
        ("NaN", "0", "当月完成投资不是有效金额"),
        ("1.005", "0", "当月完成投资最多保留两位小数"),
    ],
)
def test_bad_amounts_are_refused(project, butler, amount, funds, message):
    with pytest.raises(DomainError, match=message):
        record(butler, project, amount=amount, funds=funds)
    assert not MonthlyInvestment.all_objects.exists()


@pytest.mark.parametrize(("year", "month"), [(YEAR, 0), (YEAR, 13), (1999, 5)])
def test_impossible_periods_are_refused(project, butler, year, month):
    with pytest.raises(DomainError):
        record(butler, project, year=year, month=month)


def test_a_deleted_project_takes_no_investment(project, butler, dispatcher):
    soft_delete(project, actor=dispatcher)
    with pytest.raises(DomainError, match="项目“京南生物医药产业化基地”已删除，不能填报投资"):
        record(dispatcher, project)


def test_only_editors_of_the_project_record(project, other_project, butler, leader):
    with pytest.raises(Project.DoesNotExist):  # out of scope: 404, not a confirmation that it exists
        record(butler, other_project)
    with pytest.raises(NotPermitted, match="您没有填报项目“京南生物医药产业化基地”投资的权限"):
        record(leader, project)  # leaders see every project but do not report


def test_a_deleted_month_is_restored_when_reported_again(project, butler):
    row = record(butler, project, amount="100")
    soft_delete(row, actor=butler)
    again = record(butler, project, amount="70", expected_version=1)
    assert again.pk == row.pk and again.amount == D("70") and not again.is_deleted
    actions = list(
        AuditEntry.objects.filter(object_id=str(row.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "delete", "restore", "update"]


def test_recorded_months_reach_the_summary(project, butler):
    record(butler, project, month=1, amount="100", funds="50")
    record(butler, project, month=2, amount="200", funds="50")
    summary = investment_summary(user=butler, year=YEAR, month=2)
    # The project belongs to the 2026 list, so its 2025 months are not in 2025's list figures.
    assert summary.completed == 0
    project.year = YEAR
    project.save()
    summary = investment_summary(user=butler, year=YEAR, month=2)
    assert (summary.completed, summary.funds_in_place) == (D("300"), D("100"))


def test_target_set_with_a_preset_and_then_a_custom_curve(dispatcher):
    target = target_set(actor=dispatcher, year=2026, amount="10000000", pacing="strong_start")
    assert parse_curve(target.pacing) == STRONG_START and target.amount == D("10000000")
    custom = ["0.05", "0.1", "0.3", "0.4", "0.5", "0.6", "0.7", "0.75", "0.8", "0.9", "0.95", "1"]
    updated = target_set(actor=dispatcher, year=2026, amount="9000000", pacing=custom, expected_version=1)
    assert updated.version == 2 and parse_curve(updated.pacing) == parse_curve(custom)
    assert InvestmentTarget.objects.count() == 1
    assert AuditEntry.objects.filter(model_label="investment.investmenttarget").count() == 2
    summary = investment_summary(user=dispatcher, year=2026, month=3)
    assert summary.schedule_share == D("0.3") and summary.target == D("9000000")


def test_target_set_defaults_to_even_pacing(admin_user):
    target = target_set(actor=admin_user, year=2026, amount=D("500"))
    assert parse_curve(target.pacing).shares[5] == D("0.5")


def test_target_set_refusals(dispatcher, butler):
    with pytest.raises(DomainError, match=r"3 月的累计比例 0\.2 小于上月的 0\.3"):
        target_set(actor=dispatcher, year=2026, amount="1", pacing=["0.1", "0.3", "0.2", *["1"] * 9])
    with pytest.raises(DomainError, match="未知的序时进度曲线预设"):
        target_set(actor=dispatcher, year=2026, amount="1", pacing="fast")
    with pytest.raises(DomainError, match="固定资产投资目标不能为负数"):
        target_set(actor=dispatcher, year=2026, amount="-5")
    with pytest.raises(NotPermitted, match="只有管理员或调度可以设置年度投资目标"):
        target_set(actor=butler, year=2026, amount="1")
    target_set(actor=dispatcher, year=2026, amount="1")
    with pytest.raises(ConcurrentEditError):
        target_set(actor=dispatcher, year=2026, amount="2", expected_version=7)
    assert not InvestmentTarget.objects.exclude(amount=D("1")).exists()
