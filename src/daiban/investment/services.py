"""Writes for monthly investment and the yearly target: permission, transaction, version, audit.

``actor=None`` means the system (CLI import, demo data): permitted, audited as 系统.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from daiban.accounts.permissions import is_active_user, require
from daiban.audit.services import create_tracked, restore, update_versioned
from daiban.core.errors import DomainError
from daiban.core.pacing import PRESETS, parse_curve, preset
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.projects.models import Project
from daiban.projects.permissions import can_edit_project

MIN_YEAR, MAX_YEAR = 2000, 2100
CENT = Decimal("0.01")


def can_record_investment(*, actor, project: Project) -> bool:
    """Whoever may edit the project (admins, dispatchers, its butler) reports its monthly investment."""
    return can_edit_project(actor=actor, project=project)


def can_set_target(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role("admin", "dispatcher")


@transaction.atomic
def investment_record(
    *,
    actor,
    project: Project,
    year: int,
    month: int,
    amount: Decimal | int | str,
    funds_in_place: Decimal | int | str,
    expected_version: int | None = None,
) -> MonthlyInvestment:
    """Create or correct a project's figures for one month (completed investment and funds in place, 万元).

    A month after the current one, a negative amount and a deleted project are refused. Correcting an
    existing month checks ``expected_version`` (stale → ConcurrentEditError) and audits old → new.
    """
    project = _project_locked(actor, project)
    require(
        actor is None or can_record_investment(actor=actor, project=project),
        f"您没有填报项目“{project}”投资的权限",
    )
    _check_period(year, month)
    changes = {
        "amount": _money(amount, "当月完成投资"),
        "funds_in_place": _money(funds_in_place, "当月到位资金"),
    }
    row = MonthlyInvestment.all_objects.filter(project=project, year=year, month=month).first()
    if row is None:
        return create_tracked(
            MonthlyInvestment, actor=actor, project=project, year=year, month=month, **changes
        )
    if row.is_deleted:
        # Note: a deleted month is brought back and overwritten; the version the user saw no longer matters.
        row, expected_version = restore(row, actor=actor, audit_note="重新填报"), None
    return update_versioned(row, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def target_set(
    *,
    actor,
    year: int,
    amount: Decimal | int | str,
    pacing: Sequence[object] | str | None = None,
    expected_version: int | None = None,
) -> InvestmentTarget:
    """Set the district's fixed-asset investment target of a year and its 序时进度 curve.

    ``pacing``: 12 cumulative shares, the code of a preset (``linear``, ``strong_start``), or None for even
    pacing (month/12). The curve is validated by ``core.pacing`` before anything is written.
    """
    require(actor is None or can_set_target(actor=actor), "只有管理员或调度可以设置年度投资目标")
    _check_year(year)
    curve = preset(pacing) if isinstance(pacing, str) else parse_curve(pacing)
    # Note: stored as JSON numbers like the model's default; str(Decimal) round-trips them exactly.
    changes = {
        "amount": _money(amount, "固定资产投资目标"),
        "pacing": [float(share) for share in curve.shares],
    }
    target = InvestmentTarget.all_objects.filter(year=year).first()
    if target is None:
        return create_tracked(InvestmentTarget, actor=actor, year=year, **changes)
    if target.is_deleted:
        target, expected_version = restore(target, actor=actor, audit_note="重新设置"), None
    return update_versioned(target, actor=actor, expected_version=expected_version, changes=changes)


def pacing_presets() -> list[tuple[str, str]]:
    """(code, Chinese label) of the shipped pacing curves, for a form's choices."""
    return [(code, item.label) for code, item in PRESETS.items()]


def _project_locked(actor, project: Project) -> Project:
    """The project re-read and locked inside the transaction; out of scope → Project.DoesNotExist (404)."""
    rows = Project.all_objects.all() if actor is None else Project.all_objects.for_user(actor)
    project = rows.select_for_update().get(pk=project.pk)
    if project.is_deleted:
        raise DomainError(f"项目“{project}”已删除，不能填报投资")
    return project


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"年度应在 {MIN_YEAR}–{MAX_YEAR} 之间，实际为 {year}")


def _check_period(year: int, month: int) -> None:
    _check_year(year)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise DomainError(f"月份应为 1 到 12 的整数，实际为 {month}")
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise DomainError(f"{year}年{month}月尚未到来，不能填报投资")


def _money(value: Decimal | int | str, label: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}不是有效金额：{value}") from None
    if isinstance(value, bool) or not number.is_finite():
        raise DomainError(f"{label}不是有效金额：{value}")
    if number < 0:
        raise DomainError(f"{label}不能为负数：{value}")
    if number != number.quantize(CENT):
        raise DomainError(f"{label}最多保留两位小数（万元）：{value}")
    # Note: 100 and 100.00 are the same amount; quantizing keeps a re-save from auditing a false change.
    return number.quantize(CENT)
