"""API of policies (惠企政策): list and read policies with their reach, the matches a caller may see, and
the payout (兑现) transitions with the version read. Thin: parse → one selector or service → schema."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Amount, Id, Money, PageParams, Rate, page_of
from daiban.policies import services
from daiban.policies.models import PolicyMatch
from daiban.policies.permissions import can_view_policies
from daiban.policies.selectors import (
    PolicyFigures,
    match_for_user,
    match_get,
    matches_of_policy,
    policy_figures,
    policy_get,
    policy_list,
)

router = Router(tags=["惠企政策"])
WRITE_ERRORS = errors(400, 403, 404, 409)


class FiguresOut(Schema):
    matched_enterprises: int = Field(..., description="符合条件（或已拨付）的企业数，同一企业只计一次")
    paid_enterprises: int
    matches: int
    estimated: Amount
    approved: Amount
    paid: Amount


class PolicyOut(Schema):
    id: int
    name: str
    issuer: str
    document_no: str
    valid_from: dt.date
    valid_to: dt.date | None
    description: str
    level: str
    benefit_kind: str
    benefit_kind_label: str
    rate: Rate | None
    cap: Amount | None
    fixed_amount: Amount | None
    base_fact: str
    rule: str
    rule_error: str = Field(..., description="非空表示规则有误：该政策不会被评估")
    no_application: bool = Field(..., description="免申即享")
    is_example: bool = Field(..., description="示例政策（非真实文件）")
    is_active: bool
    version: int
    figures: FiguresOut

    @staticmethod
    def resolve_benefit_kind_label(obj) -> str:
        return obj.get_benefit_kind_display()


class TraceLineOut(Schema):
    text: str
    held: bool
    depth: int


class MatchOut(Schema):
    id: int
    policy_id: int
    policy_name: str
    enterprise_id: int
    enterprise_name: str
    project_id: int | None
    eligible: bool
    trace: list[TraceLineOut]
    estimated_benefit: Amount | None
    status: str
    status_label: str
    matched_on: dt.date
    notified_on: dt.date | None
    applied_on: dt.date | None
    granted_on: dt.date | None
    approved_on: dt.date | None
    approved_amount: Amount | None
    paid_on: dt.date | None
    paid_amount: Amount | None
    version: int

    @staticmethod
    def resolve_policy_name(obj: PolicyMatch) -> str:
        return obj.policy.name

    @staticmethod
    def resolve_enterprise_name(obj: PolicyMatch) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj: PolicyMatch) -> str:
        return obj.get_status_display()


class MatchPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[MatchOut]


class ApplyIn(Schema):
    version: int = Field(..., ge=1)
    applied_on: dt.date


class ApproveIn(Schema):
    version: int = Field(..., ge=1)
    approved_on: dt.date
    approved_amount: Money


class PayIn(Schema):
    version: int = Field(..., ge=1)
    paid_on: dt.date
    paid_amount: Money


def _with_figures(user, policies: list) -> list:
    figures = policy_figures(user=user, policies=policies)
    for policy in policies:
        policy.figures = figures.get(policy.pk, PolicyFigures())
    return policies


def _check_role(user) -> None:
    from daiban.accounts.permissions import require

    require(can_view_policies(actor=user), "您的账号尚未分配角色，无权查看惠企政策")


@router.get(
    "", response={200: list[PolicyOut], **errors(403)}, summary="惠企政策列表（含覆盖企业与兑现金额）"
)
def policy_index(request: HttpRequest):
    _check_role(request.auth)
    return _with_figures(request.auth, list(policy_list()))


@router.get(
    "/matches", response={200: MatchPageOut, **errors()}, summary="我可见的政策匹配（企业：本企业的）"
)
def match_index(request: HttpRequest, page: Query[PageParams]):
    rows = match_for_user(request.auth).select_related("policy", "enterprise").order_by("-matched_on", "pk")
    return page_of(rows, page)


@router.get("/{policy_id}", response={200: PolicyOut, **errors(403, 404)}, summary="政策详情")
def policy_detail(request: HttpRequest, policy_id: Id):
    _check_role(request.auth)
    return _with_figures(request.auth, [policy_get(pk=policy_id)])[0]


@router.get(
    "/{policy_id}/matches",
    response={200: MatchPageOut, **errors(403, 404)},
    summary="政策的符合条件企业（含判断过程与兑现状态）",
)
def policy_matches(request: HttpRequest, policy_id: Id, page: Query[PageParams]):
    _check_role(request.auth)
    return page_of(matches_of_policy(user=request.auth, policy=policy_get(pk=policy_id)), page)


@router.post("/matches/{match_id}/apply", response={200: MatchOut, **WRITE_ERRORS}, summary="记录申报")
def match_apply(request: HttpRequest, match_id: Id, payload: ApplyIn):
    match = match_get(user=request.auth, pk=match_id)
    services.match_apply(
        actor=request.auth, match=match, expected_version=payload.version, applied_on=payload.applied_on
    )
    return match_get(user=request.auth, pk=match_id)


@router.post(
    "/matches/{match_id}/approve", response={200: MatchOut, **WRITE_ERRORS}, summary="审核（核定金额）"
)
def match_approve(request: HttpRequest, match_id: Id, payload: ApproveIn):
    match = match_get(user=request.auth, pk=match_id)
    services.match_approve(
        actor=request.auth,
        match=match,
        expected_version=payload.version,
        approved_on=payload.approved_on,
        approved_amount=payload.approved_amount,
    )
    return match_get(user=request.auth, pk=match_id)


@router.post("/matches/{match_id}/pay", response={200: MatchOut, **WRITE_ERRORS}, summary="记录拨付")
def match_pay(request: HttpRequest, match_id: Id, payload: PayIn):
    match = match_get(user=request.auth, pk=match_id)
    services.match_pay(
        actor=request.auth,
        match=match,
        expected_version=payload.version,
        paid_on=payload.paid_on,
        paid_amount=payload.paid_amount,
    )
    return match_get(user=request.auth, pk=match_id)
