"""The payout (兑现) of a match: 申报 → 审核 → 拨付, each with a version check and an audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from daiban.accounts.permissions import require
from daiban.audit.services import ConcurrentEditError, update_versioned
from daiban.core.errors import DomainError
from daiban.policies.models import MatchStatus, PolicyMatch
from daiban.policies.permissions import can_record_application, can_record_payout
from daiban.policies.services import common

# ---------------------------------------------------------------------------------------------- payout


def _match_for(actor, match: PolicyMatch, expected_version: int | None) -> PolicyMatch:
    """The match locked in the actor's scope; a stale version is reported before any rule of the state,
    since the state the user saw is no longer the state."""
    rows = PolicyMatch.objects if actor is None else PolicyMatch.objects.for_user(actor)
    fresh = (
        rows.select_for_update(of=("self",))
        .select_related("policy", "enterprise", "updated_by")
        .get(pk=match.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise ConcurrentEditError(fresh)
    return fresh


def _check_day(actor, day: dt.date | None, label: str, earliest: dt.date | None, after: str) -> None:
    if day is None:
        raise DomainError(f"请填写{label}")
    if actor is not None and day > common.current_day():
        raise DomainError(f"{label}（{day}）晚于今天")
    if earliest is not None and day < earliest:
        raise DomainError(f"{label}（{day}）不能早于{after}（{earliest}）")


def _refuse(match: PolicyMatch, action: str) -> DomainError:
    if not match.eligible and match.status == MatchStatus.LAPSED:
        return DomainError(f"该企业已不再符合“{match.policy.name}”的条件，不能{action}")
    return DomainError(f"当前兑现状态为“{match.get_status_display()}”，不能{action}")


@transaction.atomic
def match_apply(
    *, actor, match: PolicyMatch, expected_version: int | None, applied_on: dt.date
) -> PolicyMatch:
    """已推送 → 已申报 (not for 免申即享: those are granted directly)."""
    match = _match_for(actor, match, expected_version)
    require(actor is None or can_record_application(actor=actor), "您没有记录政策申报的权限")
    if match.policy.no_application:
        raise DomainError(f"“{match.policy.name}”为免申即享政策，无需申报，已直接兑现")
    if match.status not in (MatchStatus.MATCHED, MatchStatus.NOTIFIED):
        raise _refuse(match, "记录申报")
    _check_day(actor, applied_on, "申报日期", None, "")
    changes = {"status": MatchStatus.APPLIED, "applied_on": applied_on}
    return update_versioned(match, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def match_approve(
    *, actor, match: PolicyMatch, expected_version: int | None, approved_on: dt.date, approved_amount: Decimal
) -> PolicyMatch:
    """已申报 / 直接兑现 → 已审核, with the amount approved (never above the policy's cap)."""
    match = _match_for(actor, match, expected_version)
    require(actor is None or can_record_payout(actor=actor), "只有管理员或调度可以审核政策兑现")
    if match.status not in (MatchStatus.APPLIED, MatchStatus.GRANTED):
        raise _refuse(match, "审核")
    _check_day(actor, approved_on, "审核日期", match.applied_on or match.granted_on, "申报日期")
    amount = _amount(approved_amount, "核定金额")
    cap = match.policy.cap
    if cap is not None and amount > cap:
        raise DomainError(f"核定金额 {amount} 万元超过政策上限 {cap} 万元")
    changes = {"status": MatchStatus.APPROVED, "approved_on": approved_on, "approved_amount": amount}
    return update_versioned(match, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def match_pay(
    *, actor, match: PolicyMatch, expected_version: int | None, paid_on: dt.date, paid_amount: Decimal
) -> PolicyMatch:
    """已审核 → 已拨付, never more than approved."""
    match = _match_for(actor, match, expected_version)
    require(actor is None or can_record_payout(actor=actor), "只有管理员或调度可以记录政策资金拨付")
    if match.status != MatchStatus.APPROVED:
        raise _refuse(match, "记录拨付")
    _check_day(actor, paid_on, "拨付日期", match.approved_on, "审核日期")
    amount = _amount(paid_amount, "拨付金额")
    if amount > match.approved_amount:
        raise DomainError(f"拨付金额 {amount} 万元超过核定金额 {match.approved_amount} 万元")
    changes = {"status": MatchStatus.PAID, "paid_on": paid_on, "paid_amount": amount}
    return update_versioned(match, actor=actor, expected_version=expected_version, changes=changes)


def _amount(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise DomainError(f"{label}应为数字（万元）") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(f"{label}不能为负数")
    return amount
