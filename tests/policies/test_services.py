import datetime as dt
from decimal import Decimal

import pytest

from daiban.accounts.permissions import NotPermitted
from daiban.audit.models import AuditEntry
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError
from daiban.notifications.models import Kind, Notification
from daiban.policies.models import MatchStatus, Policy, PolicyMatch
from daiban.policies.selectors import policy_figures
from daiban.policies.services import (
    match_apply,
    match_approve,
    match_pay,
    policy_load_examples,
    policy_save,
    policy_tick,
)
from daiban.projects.models import Milestone, MilestoneKind, Project
from daiban.projects.services import enterprise_update, project_update

from .conftest import TODAY, make_policy

pytestmark = pytest.mark.django_db


def equip(project, amount):
    """Change the project's equipment investment through the projects' service (as a user would)."""
    return project_update(
        actor=None, project=project, expected_version=None, equipment_investment=Decimal(amount)
    )


# ---------------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{field: turnover, op: ge, value: 100}", "未知字段 'turnover'"),
        ("all: [ {field: industry, op: eq, value: 生物医药} ", "不是有效的 YAML"),
        ("{field: industry, op: bigger, value: 1}", "未知比较符 'bigger'"),
        ("{field: total_investment, op: ge, value: 很多}", "类型错误"),
    ],
)
def test_bad_rule_is_saved_with_its_error_and_never_evaluated(project, rule, message):
    equip(project, 3000)
    policy = make_policy(rule=rule)
    assert Policy.objects.filter(pk=policy.pk).exists()
    assert message in policy.rule_error
    result = policy_tick(today=TODAY)
    assert result.policies == 0 and result.skipped == 1
    assert not PolicyMatch.objects.filter(policy=policy).exists()
    assert "规则有误未评估 1" in str(result)


def test_fixing_the_rule_clears_the_error_and_the_policy_runs(project):
    equip(project, 3000)
    policy = make_policy(rule="{field: turnover, op: ge, value: 1}")
    policy = policy_save(
        actor=None,
        policy=policy,
        expected_version=policy.version,
        rule="{field: industry, op: eq, value: 生物医药}",
    )
    assert policy.rule_error == ""
    policy_tick(today=TODAY)
    assert PolicyMatch.objects.filter(policy=policy, project=project).exists()


def test_policy_fields_that_cannot_be_saved(db, butler):
    with pytest.raises(DomainError, match="计算基数"):
        make_policy(base_fact="name")
    with pytest.raises(DomainError, match="定额"):
        make_policy(benefit_kind="fixed", fixed_amount=None)
    with pytest.raises(NotPermitted):
        policy_save(
            actor=butler, name="x", issuer="y", valid_from=TODAY, benefit_kind="fixed", fixed_amount=1
        )


# ---------------------------------------------------------------------------------------------- matching


def test_tick_matches_with_trace_estimate_and_push(
    project, other_project, equipment_policy, enterprise_user, butler
):
    # Written straight to the table (as an import would), so the tick is what finds the match.
    Project.objects.filter(pk=project.pk).update(equipment_investment=3000)  # eligible: 3000 × 3% = 90
    Project.objects.filter(pk=other_project.pk).update(equipment_investment=500)  # below 1000
    result = policy_tick(today=TODAY)
    assert str(result).startswith("惠企政策：评估 1 项政策，新匹配 1 家企业")
    match = PolicyMatch.objects.get(policy=equipment_policy)
    assert (match.project, match.enterprise) == (project, project.enterprise)
    assert match.estimated_benefit == Decimal("90.00")
    assert match.status == MatchStatus.NOTIFIED and match.notified_on == TODAY
    assert [line["held"] for line in match.trace] == [True, True, True]
    told = Notification.objects.filter(kind=Kind.POLICY_MATCHED)
    assert {n.recipient for n in told} == {enterprise_user, butler}
    assert told.first().key == f"policy:{equipment_policy.pk}:enterprise:{project.enterprise_id}"
    assert AuditEntry.objects.filter(model_label="policies.policymatch", object_id=str(match.pk)).exists()


def test_tick_is_idempotent(project, equipment_policy, enterprise_user):
    equip(project, 3000)
    policy_tick(today=TODAY)
    before = (PolicyMatch.objects.get().version, Notification.objects.count())
    again = policy_tick(today=TODAY)
    assert (again.new_matches, again.new_enterprises, again.notified, again.lapsed) == (0, 0, 0, 0)
    assert (PolicyMatch.objects.get().version, Notification.objects.count()) == before


def test_changed_fact_re_evaluates_at_once(project, equipment_policy):
    equip(project, 500)
    assert not PolicyMatch.objects.exists()
    equip(project, 2000)  # the projects' service re-evaluates the enterprise: no tick needed
    match = PolicyMatch.objects.get()
    assert match.eligible and match.estimated_benefit == Decimal("60.00")
    equip(project, 800)
    match.refresh_from_db()
    assert not match.eligible and match.status == MatchStatus.LAPSED
    assert not match.trace[2]["held"] and "800" in match.trace[2]["text"]
    equip(project, 1500)
    match.refresh_from_db()
    assert (
        match.eligible
        and match.status == MatchStatus.NOTIFIED
        and match.estimated_benefit == Decimal("45.00")
    )


def test_paid_match_stays_paid_when_facts_change(project, equipment_policy):
    equip(project, 3000)
    match = PolicyMatch.objects.get()
    match = match_apply(actor=None, match=match, expected_version=match.version, applied_on=TODAY)
    match = match_approve(
        actor=None,
        match=match,
        expected_version=match.version,
        approved_on=TODAY,
        approved_amount=Decimal(80),
    )
    match_pay(actor=None, match=match, expected_version=match.version, paid_on=TODAY, paid_amount=Decimal(80))
    equip(project, 10)
    match.refresh_from_db()
    assert match.status == MatchStatus.PAID and not match.eligible and match.paid_amount == Decimal(80)


def test_no_application_policy_is_granted_directly(project, milestone_kinds):
    Milestone.objects.create(project=project, kind=MilestoneKind.objects.get(code="signed"), actual_on=TODAY)
    Milestone.objects.create(
        project=project, kind=MilestoneKind.objects.get(code="started"), actual_on=dt.date(2026, 3, 1)
    )
    policy = make_policy(
        name="重大项目开工奖励",
        benefit_kind="fixed",
        fixed_amount=Decimal(200),
        rate=None,
        base_fact="",
        no_application=True,
        rule=(
            "all: [{field: started_this_year, op: eq, value: true},"
            " {field: total_investment, op: ge, value: 50000}]"
        ),
    )
    policy_tick(today=TODAY)
    match = PolicyMatch.objects.get(policy=policy)
    assert match.status == MatchStatus.GRANTED and match.granted_on == TODAY
    assert match.estimated_benefit == Decimal("200.00")
    with pytest.raises(DomainError, match="免申即享"):
        match_apply(actor=None, match=match, expected_version=match.version, applied_on=TODAY)
    match = match_approve(
        actor=None,
        match=match,
        expected_version=match.version,
        approved_on=TODAY,
        approved_amount=Decimal(200),
    )
    assert match.status == MatchStatus.APPROVED
    # Next year the start no longer counts as "this year": the unpaid grant lapses.
    policy_tick(today=dt.date(2027, 2, 1))
    match.refresh_from_db()
    assert match.status == MatchStatus.LAPSED


def test_enterprise_level_policy_matches_once_per_enterprise(project, project_factory, enterprise):
    project_factory(enterprise=enterprise, name="二期")
    enterprise_update(actor=None, enterprise=enterprise, expected_version=None, high_tech=True)
    policy = make_policy(
        name="高新技术企业认定奖励",
        level="enterprise",
        benefit_kind="fixed",
        fixed_amount=Decimal(30),
        base_fact="",
        rule="{field: high_tech, op: eq, value: true}",
    )
    policy_tick(today=TODAY)
    match = PolicyMatch.objects.get(policy=policy)
    assert match.project is None and match.enterprise == enterprise
    enterprise_update(actor=None, enterprise=enterprise, expected_version=None, high_tech=False)
    match.refresh_from_db()
    assert match.status == MatchStatus.LAPSED


def test_enterprise_rule_with_project_fact_is_an_error(db):
    policy = make_policy(level="enterprise", benefit_kind="fixed", fixed_amount=Decimal(1), base_fact="")
    assert "按企业适用的政策只能使用企业信息" in policy.rule_error


def test_expired_or_inactive_policies_are_not_evaluated(project):
    equip(project, 3000)
    make_policy(valid_to=dt.date(2026, 5, 31))
    make_policy(name="停用", is_active=False)
    assert policy_tick(today=TODAY).policies == 0
    assert not PolicyMatch.objects.exists()


# ---------------------------------------------------------------------------------------------- payout


@pytest.fixture
def match(project, equipment_policy):
    equip(project, 3000)
    return PolicyMatch.objects.get()


def test_payout_path_with_amounts_and_dates(match, dispatcher, butler):
    match = match_apply(actor=butler, match=match, expected_version=match.version, applied_on=TODAY)
    assert match.status == MatchStatus.APPLIED
    match = match_approve(
        actor=dispatcher,
        match=match,
        expected_version=match.version,
        approved_on=TODAY,
        approved_amount=Decimal("88"),
    )
    match = match_pay(
        actor=dispatcher,
        match=match,
        expected_version=match.version,
        paid_on=TODAY,
        paid_amount=Decimal("88"),
    )
    assert (match.status, match.paid_amount, match.paid_on) == (MatchStatus.PAID, Decimal("88.00"), TODAY)
    assert AuditEntry.objects.filter(model_label="policies.policymatch", actor=dispatcher).count() == 2


def test_invalid_transitions(match, dispatcher):
    with pytest.raises(DomainError, match="当前兑现状态为“已推送”，不能记录拨付"):
        match_pay(actor=dispatcher, match=match, expected_version=match.version, paid_on=TODAY, paid_amount=1)
    with pytest.raises(DomainError, match="不能审核"):
        match_approve(
            actor=dispatcher,
            match=match,
            expected_version=match.version,
            approved_on=TODAY,
            approved_amount=1,
        )
    match = match_apply(actor=dispatcher, match=match, expected_version=match.version, applied_on=TODAY)
    with pytest.raises(DomainError, match="超过政策上限 2000"):
        match_approve(
            actor=dispatcher,
            match=match,
            expected_version=match.version,
            approved_on=TODAY,
            approved_amount=2001,
        )
    with pytest.raises(DomainError, match="不能早于申报日期"):
        match_approve(
            actor=dispatcher,
            match=match,
            expected_version=match.version,
            approved_on=TODAY - dt.timedelta(days=1),
            approved_amount=1,
        )
    match = match_approve(
        actor=dispatcher, match=match, expected_version=match.version, approved_on=TODAY, approved_amount=50
    )
    with pytest.raises(DomainError, match="超过核定金额"):
        match_pay(
            actor=dispatcher, match=match, expected_version=match.version, paid_on=TODAY, paid_amount=51
        )


def test_stale_version_is_refused(match, dispatcher):
    with pytest.raises(ConcurrentEditError):
        match_apply(actor=dispatcher, match=match, expected_version=match.version - 1 or 99, applied_on=TODAY)


def test_lapsed_match_cannot_be_applied_for(match, project, dispatcher):
    equip(project, 1)
    match.refresh_from_db()
    with pytest.raises(DomainError, match="已不再符合"):
        match_apply(actor=dispatcher, match=match, expected_version=match.version, applied_on=TODAY)


def test_who_may_record_payout(match, users):
    with pytest.raises(NotPermitted):
        match_apply(actor=users["enterprise"], match=match, expected_version=match.version, applied_on=TODAY)
    with pytest.raises(PolicyMatch.DoesNotExist):  # out of scope: not found
        match_apply(
            actor=users["other_butler"], match=match, expected_version=match.version, applied_on=TODAY
        )
    match = match_apply(actor=users["butler"], match=match, expected_version=match.version, applied_on=TODAY)
    with pytest.raises(NotPermitted):
        match_approve(
            actor=users["butler"],
            match=match,
            expected_version=match.version,
            approved_on=TODAY,
            approved_amount=1,
        )


# ---------------------------------------------------------------------------------------------- scope


def test_figures_count_distinct_enterprises_and_totals(
    project, project_factory, other_project, equipment_policy, leader
):
    second = project_factory(enterprise=project.enterprise, name="二期")
    equip(project, 3000)
    equip(second, 2000)
    equip(other_project, 1000)
    match = PolicyMatch.objects.get(project=project)
    match = match_apply(actor=None, match=match, expected_version=match.version, applied_on=TODAY)
    match = match_approve(
        actor=None, match=match, expected_version=match.version, approved_on=TODAY, approved_amount=90
    )
    match_pay(actor=None, match=match, expected_version=match.version, paid_on=TODAY, paid_amount=85)
    figures = policy_figures(user=leader)[equipment_policy.pk]
    assert (figures.matches, figures.matched_enterprises, figures.paid_enterprises) == (3, 2, 1)
    assert figures.estimated == Decimal("180.00")  # 90 + 60 + 30
    assert (figures.approved, figures.paid) == (Decimal("90.00"), Decimal("85.00"))
    assert figures.reach_rate == Decimal("0.500")


def test_enterprise_sees_only_its_own_matches(project, other_project, equipment_policy, users):
    equip(project, 3000)
    equip(other_project, 3000)
    assert PolicyMatch.objects.for_user(users["leader"]).count() == 2
    assert list(PolicyMatch.objects.for_user(users["enterprise"])) == [
        PolicyMatch.objects.get(project=project)
    ]
    assert PolicyMatch.objects.for_user(users["butler"]).get().project == project
    assert PolicyMatch.objects.for_user(users["specialist"]).get().project == project
    assert not PolicyMatch.objects.for_user(users["no_role"]).exists()


def test_examples_load_once_and_all_parse(db):
    assert policy_load_examples(actor=None) == (6, 0)
    assert policy_load_examples(actor=None) == (0, 6)
    examples = Policy.objects.filter(is_example=True)
    assert examples.count() == 6 and not examples.exclude(rule_error="").exists()
    assert examples.filter(no_application=True).count() == 2
    assert examples.get(code="equipment-loan-interest").cap == Decimal("2000")
