"""Reads of policies and matches (scoped by ``PolicyMatch.objects.for_user``), the facts policies test,
and the per-policy figures (reach and totals) every page, the API and the CLI read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from daiban.core.policy import years_between
from daiban.policies.models import MatchStatus, Policy, PolicyMatch
from daiban.projects.models import Enterprise, Milestone, Project

ZERO = Decimal("0.00")


# ---------------------------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class FactRow:
    """The facts of one enterprise (``project_id`` None) or of one project with its enterprise's facts."""

    enterprise_id: int
    project_id: int | None
    facts: dict[str, Any]


@dataclass
class Facts:
    projects: list[FactRow] = field(default_factory=list)
    enterprises: list[FactRow] = field(default_factory=list)


def _enterprise_facts(row: dict[str, Any], today: dt.date, prefix: str = "") -> dict[str, Any]:
    return {
        "high_tech": row[f"{prefix}high_tech"],
        "years_registered": years_between(row[f"{prefix}registered_on"], today),
        "enterprise_industry": row[f"{prefix}industry"] or None,
    }


def policy_facts(*, today: dt.date, enterprise_ids: Iterable[int] | None = None) -> Facts:
    """Every live project with an enterprise (and every such enterprise) as facts, in three queries.

    ``enterprise_ids`` narrows it to a few enterprises (re-evaluation after one enterprise's data changed).
    """
    projects = Project.objects.filter(enterprise__isnull=False, enterprise__deleted_at__isnull=True)
    if enterprise_ids is not None:
        projects = projects.filter(enterprise_id__in=list(enterprise_ids))
    reached: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    milestones = Milestone.objects.filter(actual_on__isnull=False, project__in=projects.values("pk"))
    for project_id, code, actual_on in milestones.values_list("project_id", "kind__code", "actual_on"):
        reached[project_id].append((code, actual_on))
    facts = Facts()
    enterprise_fields = ("high_tech", "registered_on", "industry")
    rows = projects.order_by("pk").values(
        "pk",
        "enterprise_id",
        "industry",
        "category",
        "total_investment",
        "equipment_investment",
        "area",
        "statistics_registered",
        "year",
        *(f"enterprise__{name}" for name in enterprise_fields),
    )
    seen: dict[int, dict[str, Any]] = {}
    for row in rows:
        mine = reached.get(row["pk"], [])
        enterprise = _enterprise_facts(row, today, "enterprise__")
        seen.setdefault(row["enterprise_id"], enterprise)
        project = {
            "industry": row["industry"] or None,
            "category": row["category"],
            "total_investment": row["total_investment"],
            "equipment_investment": row["equipment_investment"],
            "area": row["area"] or None,
            "statistics_registered": row["statistics_registered"],
            "in_current_list": row["year"] == today.year,
            "milestones_reached": tuple(code for code, _ in mine),
            "started_this_year": any(code == "started" and on.year == today.year for code, on in mine),
        }
        facts.projects.append(FactRow(row["enterprise_id"], row["pk"], enterprise | project))
    facts.enterprises = [FactRow(pk, None, seen[pk]) for pk in sorted(seen)]
    return facts


# ---------------------------------------------------------------------------------------------- reads


def policy_list(*, active_only: bool = False) -> QuerySet[Policy]:
    """Policies are visible to every signed-in user; pages check the role before calling this."""
    policies = Policy.objects.all()
    return policies.filter(is_active=True) if active_only else policies


def policy_get(*, pk: int) -> Policy:
    return Policy.objects.get(pk=pk)


def match_for_user(user) -> QuerySet[PolicyMatch]:
    return PolicyMatch.objects.for_user(user)


def match_get(*, user, pk: int) -> PolicyMatch:
    return match_for_user(user).select_related("policy", "enterprise", "project").get(pk=pk)


def matches_of_policy(*, user, policy: Policy, include_lapsed: bool = True) -> QuerySet[PolicyMatch]:
    matches = match_for_user(user).filter(policy=policy).select_related("policy", "enterprise", "project")
    if not include_lapsed:
        matches = matches.filter(Q(eligible=True) | Q(status=MatchStatus.PAID))
    return matches.order_by("-eligible", "enterprise__name", "project__name", "pk")


def matches_of_project(*, user, project: Project) -> QuerySet[PolicyMatch]:
    """The policies matched by the project itself and by its enterprise (per-enterprise policies)."""
    return (
        match_for_user(user)
        .filter(Q(project=project) | Q(project__isnull=True, enterprise_id=project.enterprise_id))
        .filter(enterprise_id=project.enterprise_id)
        .select_related("policy", "enterprise", "project")
        .order_by("-eligible", "policy__name", "pk")
    )


@dataclass(frozen=True)
class PolicyFigures:
    """Reach and totals of one policy: how many enterprises it reached and what was paid (万元)."""

    matched_enterprises: int = 0
    paid_enterprises: int = 0
    matches: int = 0
    estimated: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def reach_rate(self) -> Decimal | None:
        """Paid / matched enterprises, the share of the eligible that actually received the benefit."""
        if not self.matched_enterprises:
            return None
        return (Decimal(self.paid_enterprises) / Decimal(self.matched_enterprises)).quantize(Decimal("0.001"))


def policy_figures(*, user, policies: Iterable[Policy] | None = None) -> dict[int, PolicyFigures]:
    """Figures per policy id over the matches the user may see, in one query.

    Note: reach counts distinct enterprises (a per-project policy may match two projects of one enterprise);
    a paid match counts as reached even if the enterprise no longer qualifies.
    """
    return _figures(match_for_user(user), policies)


def policy_figures_all(*, policies: Iterable[Policy] | None = None) -> dict[int, PolicyFigures]:
    """The district-wide figures (the CLI, which runs as the system)."""
    return _figures(PolicyMatch.objects.all(), policies)


def _figures(matches: QuerySet[PolicyMatch], policies: Iterable[Policy] | None) -> dict[int, PolicyFigures]:
    counted = matches.filter(Q(eligible=True) | Q(status=MatchStatus.PAID))
    if policies is not None:
        counted = counted.filter(policy__in=[policy.pk for policy in policies])
    rows = counted.values("policy_id").annotate(
        matched_enterprises=Count("enterprise", distinct=True),
        paid_enterprises=Count("enterprise", filter=Q(status=MatchStatus.PAID), distinct=True),
        matches=Count("pk"),
        estimated=Sum("estimated_benefit", filter=Q(eligible=True)),
        approved=Sum("approved_amount"),
        paid=Sum("paid_amount"),
    )
    figures = {}
    for row in rows:
        policy_id = row.pop("policy_id")
        # Note: quantized here, since SQLite sums decimals as floats with many places.
        money = {name: Decimal(row[name] or 0).quantize(ZERO) for name in ("estimated", "approved", "paid")}
        figures[policy_id] = PolicyFigures(**(row | money))
    return figures


@dataclass(frozen=True)
class Recipients:
    """Who is told about a match: the enterprise's own users and the butler(s) of the matched project(s)."""

    enterprise_users: dict[int, list]
    project_butlers: dict[int, Any]
    enterprise_butlers: dict[int, list]

    def of(self, enterprise_id: int, project_ids: Iterable[int | None]) -> list:
        users = {user.pk: user for user in self.enterprise_users.get(enterprise_id, [])}
        for project_id in project_ids:
            if project_id is None:
                butlers = self.enterprise_butlers.get(enterprise_id, [])
            else:
                butlers = [self.project_butlers[project_id]] if project_id in self.project_butlers else []
            users.update({user.pk: user for user in butlers})
        return list(users.values())


def match_recipients(*, enterprise_ids: Iterable[int]) -> Recipients:
    """The recipients of every enterprise in ``enterprise_ids``, in three queries."""
    from daiban.accounts.models import User

    ids = list(enterprise_ids)
    enterprise_users: dict[int, list] = defaultdict(list)
    for user in User.objects.filter(is_active=True, role="enterprise", enterprise_id__in=ids).order_by("pk"):
        enterprise_users[user.enterprise_id].append(user)
    rows = Project.objects.filter(enterprise_id__in=ids, butler__isnull=False, butler__is_active=True)
    triples = list(rows.values_list("pk", "enterprise_id", "butler_id"))
    users = User.objects.in_bulk({butler_id for _, _, butler_id in triples})
    project_butlers = {project_id: users[butler_id] for project_id, _, butler_id in triples}
    enterprise_butlers: dict[int, list] = defaultdict(list)
    for _, enterprise_id, butler_id in sorted(set(triples), key=lambda t: t[0]):
        if users[butler_id] not in enterprise_butlers[enterprise_id]:
            enterprise_butlers[enterprise_id].append(users[butler_id])
    return Recipients(dict(enterprise_users), project_butlers, dict(enterprise_butlers))


def enterprise_names(*, ids: Iterable[int]) -> dict[int, str]:
    return dict(Enterprise.all_objects.filter(pk__in=list(ids)).values_list("pk", "name"))
