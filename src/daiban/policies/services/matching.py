"""Matching (the daily tick, and re-evaluation when an enterprise's facts change), in bulk."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from daiban.audit.models import AuditAction, AuditEntry
from daiban.audit.services import json_safe
from daiban.core.policy import estimate_benefit, evaluate, holds
from daiban.core.rules import Condition
from daiban.notifications.models import Kind, Notification
from daiban.notifications.services import notify_many
from daiban.policies.models import MatchStatus, Policy, PolicyMatch
from daiban.policies.selectors import FactRow, Facts, enterprise_names, match_recipients, policy_facts
from daiban.policies.services import common

# ---------------------------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class PolicyTickResult:
    policies: int = 0
    skipped: int = 0  # active policies whose rule has an error
    new_matches: int = 0
    new_enterprises: int = 0
    lapsed: int = 0
    notified: int = 0

    def __str__(self) -> str:
        line = f"惠企政策：评估 {self.policies} 项政策，新匹配 {self.new_enterprises} 家企业"
        extras = [
            f"{label} {value}"
            for label, value in (
                ("不再符合", self.lapsed),
                ("推送", self.notified),
                ("规则有误未评估", self.skipped),
            )
            if value
        ]
        return line + (f"（{'，'.join(extras)}）" if extras else "")


def policies_in_force(*, today: dt.date) -> list[Policy]:
    """Active, valid on ``today`` and with a rule that parsed — the only policies ever evaluated."""
    policies = Policy.objects.filter(is_active=True, rule_error="", valid_from__lte=today)
    return [
        policy for policy in policies.order_by("pk") if policy.valid_to is None or policy.valid_to >= today
    ]


def policy_tick(*, today: dt.date) -> PolicyTickResult:
    """Evaluate every policy in force against every enterprise's and project's facts, in bulk: create new
    matches, lapse the ones that no longer hold, grant 免申即享 directly, push each new match once."""
    skipped = Policy.objects.filter(is_active=True).exclude(rule_error="").count()
    policies = policies_in_force(today=today)
    result = _match(policies=policies, facts=policy_facts(today=today), today=today, enterprise_ids=None)
    return PolicyTickResult(len(policies), skipped, *result)


def policy_reevaluate(*, enterprise_ids: list[int], today: dt.date | None = None) -> None:
    """Re-match the enterprises whose facts just changed (called by the projects' services)."""
    day = today or common.current_day()
    facts = policy_facts(today=day, enterprise_ids=enterprise_ids)
    _match(policies=policies_in_force(today=day), facts=facts, today=day, enterprise_ids=enterprise_ids)


def status_from_dates(match: PolicyMatch) -> str:
    """The payout status a match has reached by its recorded dates (used when it qualifies again)."""
    for attribute, status in (
        ("paid_on", MatchStatus.PAID),
        ("approved_on", MatchStatus.APPROVED),
        ("granted_on", MatchStatus.GRANTED),
        ("applied_on", MatchStatus.APPLIED),
        ("notified_on", MatchStatus.NOTIFIED),
    ):
        if getattr(match, attribute):
            return status
    return MatchStatus.MATCHED


@transaction.atomic
def _match(
    *, policies: list[Policy], facts: Facts, today: dt.date, enterprise_ids: list[int] | None
) -> tuple[int, int, int, int]:
    """(new matches, new enterprises, lapsed, notified) over ``policies``; bulk reads and writes."""
    creates: list[PolicyMatch] = []
    updates: list[tuple[PolicyMatch, str]] = []  # with the audit note of the change
    for policy in policies:
        condition = common.policy_condition(policy)
        if condition is None:
            continue
        rows = facts.projects if policy.level == "project" else facts.enterprises
        existing = PolicyMatch.objects.select_for_update(of=("self",)).filter(policy=policy).order_by("pk")
        if enterprise_ids is not None:
            existing = existing.filter(enterprise_id__in=enterprise_ids)
        known = {(m.enterprise_id, m.project_id): m for m in existing}
        for match in known.values():
            match.policy = policy  # the row read above, not one query per match
        for row in rows:
            match = known.pop((row.enterprise_id, row.project_id), None)
            _evaluate_row(policy, condition, row, match, today, creates, updates)
        for match in known.values():  # the project or enterprise is gone: no longer eligible
            _lapse(match, [{"text": "项目或企业已删除", "held": False, "depth": 0}], updates)
    now = timezone.now()
    for match, _ in updates:
        match.version += 1
        match.updated_at = now
    notified = _notify(creates + [m for m, _ in updates if m.eligible and m.notified_on is None], today)
    PolicyMatch.objects.bulk_create(creates, batch_size=500)
    creates = _reloaded(creates)
    PolicyMatch.objects.bulk_update(
        [m for m, _ in updates],
        ["eligible", "trace", "estimated_benefit", "status", "notified_on", "version", "updated_at"],
        batch_size=500,
    )
    _audit(creates, updates)
    lapsed = sum(1 for m, note in updates if note == "不再符合")
    return len(creates), len({m.enterprise_id for m in creates}), lapsed, notified


def _reloaded(creates: list[PolicyMatch]) -> list[PolicyMatch]:
    """The created rows with their ids (bulk_create does not return ids on every backend and version)."""
    if not creates or all(m.pk for m in creates):
        return creates
    keys = {(m.policy_id, m.enterprise_id, m.project_id) for m in creates}
    rows = PolicyMatch.objects.filter(
        policy_id__in={k[0] for k in keys}, enterprise_id__in={k[1] for k in keys}
    )
    return [m for m in rows if (m.policy_id, m.enterprise_id, m.project_id) in keys]


def _evaluate_row(
    policy: Policy,
    condition: Condition,
    row: FactRow,
    match: PolicyMatch | None,
    today: dt.date,
    creates: list[PolicyMatch],
    updates: list[tuple[PolicyMatch, str]],
) -> None:
    if match is None and not holds(condition, row.facts):
        return  # neither eligible nor ever matched: nothing to store
    outcome = evaluate(condition, row.facts)
    trace = outcome.trace_json()
    estimate = None
    if outcome.eligible:
        base = row.facts.get(policy.base_fact) if policy.base_fact else None
        estimate = estimate_benefit(
            kind=policy.benefit_kind,
            rate=policy.rate,
            cap=policy.cap,
            fixed_amount=policy.fixed_amount,
            base=base,
        )
    if match is None:
        if outcome.eligible:
            granted = policy.no_application
            creates.append(
                PolicyMatch(
                    policy=policy,
                    enterprise_id=row.enterprise_id,
                    project_id=row.project_id,
                    eligible=True,
                    trace=trace,
                    estimated_benefit=estimate,
                    status=MatchStatus.GRANTED if granted else MatchStatus.MATCHED,
                    matched_on=today,
                    granted_on=today if granted else None,
                )
            )
        return
    if not outcome.eligible:
        if match.eligible:
            _lapse(match, trace, updates)
        return
    note = ""
    if not match.eligible:
        match.eligible, match.status, note = True, status_from_dates(match), "重新符合"
    if match.trace != trace or match.estimated_benefit != estimate:
        match.trace, match.estimated_benefit, note = trace, estimate, note or "事实变化，重新评估"
    if note:
        updates.append((match, note))


def _lapse(match: PolicyMatch, trace: list, updates: list[tuple[PolicyMatch, str]]) -> None:
    if not match.eligible:
        return
    match.eligible, match.trace = False, trace
    # Note: a paid match keeps its status: the money went out when the enterprise qualified.
    if match.status != MatchStatus.PAID:
        match.status = MatchStatus.LAPSED
    updates.append((match, "不再符合"))


def _notify(matches: list[PolicyMatch], today: dt.date) -> int:
    """Push each (policy, enterprise) once to the enterprise's users and the butlers of the matched projects;
    the key ``policy:<id>:enterprise:<id>`` makes a rerun a no-op. Returns how many notifications were new.

    Note: the same rule as notifications.services.notify (one row per active recipient and key, never
    twice), written in bulk: the first run at 10,000 projects pushes thousands of matches.
    """
    groups: dict[tuple[int, int], list[PolicyMatch]] = defaultdict(list)
    for match in matches:
        groups[(match.policy_id, match.enterprise_id)].append(match)
    if not groups:
        return 0
    recipients = match_recipients(enterprise_ids={enterprise for _, enterprise in groups})
    names = enterprise_names(ids={enterprise for _, enterprise in groups})
    rows: list[Notification] = []
    for (_, enterprise_id), group in groups.items():
        policy = group[0].policy
        users = recipients.of(enterprise_id, [m.project_id for m in group])
        if not users:
            continue  # nobody to tell: the match stays 已匹配
        total = sum((m.estimated_benefit or Decimal(0) for m in group), Decimal(0))
        how = "免申即享，已直接兑现，无需申报" if policy.no_application else "请按政策要求申报"
        title = f"惠企政策匹配：{names.get(enterprise_id, '')} 符合“{policy.name}”"
        project_id = next((m.project_id for m in group if m.project_id), None)
        rows += [
            Notification(
                recipient_id=user.pk,
                kind=Kind.POLICY_MATCHED,
                key=f"policy:{policy.pk}:enterprise:{enterprise_id}",
                title=title[:200],
                body=f"预计可享受 {total} 万元；{how}。",
                url=f"/policies/{policy.pk}/",
                project_id=project_id,
            )
            for user in users
        ]
        for match in group:
            match.notified_on = today
            if match.status == MatchStatus.MATCHED:
                match.status = MatchStatus.NOTIFIED
    return notify_many(rows)


def _audit(creates: list[PolicyMatch], updates: list[tuple[PolicyMatch, str]]) -> None:
    """One audit entry per created or changed match, written in bulk (the tick runs as 系统)."""
    policies = {m.policy_id: m.policy.name for m in creates} | {
        m.policy_id: m.policy.name for m, _ in updates
    }
    names = enterprise_names(ids={m.enterprise_id for m in creates} | {m.enterprise_id for m, _ in updates})
    entries = []
    for match, action, note in [(m, AuditAction.CREATE, "政策匹配") for m in creates] + [
        (m, AuditAction.SYSTEM, note) for m, note in updates
    ]:
        entries.append(
            AuditEntry(
                actor=None,
                actor_name="系统",
                action=action,
                model_label=PolicyMatch._meta.label_lower,
                object_id=str(match.pk),
                object_repr=f"{policies[match.policy_id]} · {names.get(match.enterprise_id, '')}"[:300],
                project_id=match.project_id,
                changes=json_safe({"status": [None, match.status], "eligible": [None, match.eligible]}),
                note=note,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=500)
