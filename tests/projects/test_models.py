"""Invariants held by the database itself (CheckConstraint / UniqueConstraint), on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from daiban.approvals.models import ApprovalCase, CaseSuspension
from daiban.audit.services import validate_or_raise
from daiban.core.errors import DomainError
from daiban.investment.models import InvestmentTarget, MonthlyInvestment, default_pacing, validate_pacing
from daiban.projects.models import Enterprise, Milestone, Project

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_money_cannot_be_negative(project):
    _refused(lambda: Project.objects.filter(pk=project.pk).update(total_investment=Decimal("-1")))
    _refused(lambda: MonthlyInvestment.objects.create(project=project, year=2026, month=1, amount=-5))
    _refused(lambda: InvestmentTarget.objects.create(year=2026, amount=-1))


def test_month_is_1_to_12_and_unique(project):
    _refused(lambda: MonthlyInvestment.objects.create(project=project, year=2026, month=13))
    _refused(lambda: MonthlyInvestment.objects.create(project=project, year=2026, month=0))
    MonthlyInvestment.objects.create(project=project, year=2026, month=3, amount=Decimal("100"))
    _refused(lambda: MonthlyInvestment.objects.create(project=project, year=2026, month=3))


def test_project_code_unique_only_when_set(project_factory):
    project_factory(project_code="2026-110115-89-01-012345")
    project_factory(project_code="")
    project_factory(project_code="")
    _refused(lambda: project_factory(project_code="2026-110115-89-01-012345"))


def test_uscc_unique_and_18_characters(enterprise, enterprise_factory):
    _refused(lambda: enterprise_factory(uscc=enterprise.uscc))
    _refused(lambda: enterprise_factory(uscc="123"))


def test_model_validation_speaks_chinese(project):
    project.project_code = "2026-11"
    with pytest.raises(DomainError, match="项目代码：项目代码应为 24 位"):
        validate_or_raise(project)
    enterprise = Enterprise(name="错码", uscc="91110000600037341A")
    with pytest.raises(DomainError, match="校验位错误"):
        validate_or_raise(enterprise)


def test_one_case_per_item_and_dates_in_order(project):
    case = ApprovalCase.objects.create(
        project=project, item_code="planning_permit", name="建设工程规划许可证", stage="works_permit"
    )
    _refused(
        lambda: ApprovalCase.objects.create(
            project=project, item_code="planning_permit", name="重复", stage="works_permit"
        )
    )
    import datetime as dt

    _refused(
        lambda: ApprovalCase.objects.filter(pk=case.pk).update(
            accepted_on=dt.date(2026, 3, 2), decided_on=dt.date(2026, 3, 1)
        )
    )
    _refused(
        lambda: CaseSuspension.objects.create(
            case=case, start=dt.date(2026, 3, 5), end=dt.date(2026, 3, 4), reason="supplement"
        )
    )
    assert case.suspensions.count() == 0


def test_one_milestone_per_kind(milestone_kinds, project):
    Milestone.objects.create(project=project, kind=milestone_kinds[0])
    _refused(lambda: Milestone.objects.create(project=project, kind=milestone_kinds[0]))


def test_pacing_curve():
    assert validate_pacing(default_pacing())[-1] == 1
    assert len(default_pacing()) == 12
    with pytest.raises(DomainError, match="3 月的累计比例不能小于上月"):
        validate_pacing([0.1, 0.2, 0.15, *([1] * 9)])
    with pytest.raises(DomainError, match="12 月的累计比例应为 1"):
        validate_pacing([0.05 * m for m in range(1, 13)])
    with pytest.raises(DomainError, match="12 个月"):
        validate_pacing([1])
    target = InvestmentTarget(year=2026, amount=Decimal("10000000"), pacing=[0.5] * 12)
    with pytest.raises(DomainError, match="序时进度"):
        validate_or_raise(target)


def test_deleted_rows_hidden_from_default_manager(project):
    from django.utils import timezone

    Project.objects.filter(pk=project.pk).update(deleted_at=timezone.now())
    assert not Project.objects.filter(pk=project.pk).exists()
    assert Project.all_objects.filter(pk=project.pk).exists()
    assert Project.all_objects.deleted().count() == 1


def test_stored_codes_are_the_core_codes():
    """Choices kept in the database match the pure core's codes, so a stored value is always one it knows."""
    from daiban.approvals.models import DayUnit, SlaState, Stage, SuspensionReason
    from daiban.core import catalogue, lights, sla
    from daiban.projects.choices import Light

    assert SlaState.values == list(sla.STATES)
    assert SuspensionReason.values == list(sla.SUSPENSION_REASONS)
    assert Stage.values == list(catalogue.STAGES)
    assert DayUnit.values == list(catalogue.DAY_UNITS)
    assert Light.values == list(lights.LIGHTS)
    assert dict(Light.choices) == lights.LIGHT_LABELS
