"""Demo policies (惠企政策): the example policies, the facts they test on the demo's projects and enterprises,
the matches found by the policy tick, and some of them advanced through 申报 → 审核 → 拨付.

Deterministic (``random.Random(2026)``, rows in pk order) and bulk: fast at ``--scale 10000``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from daiban.demo import names

SEED = 2026
INDUSTRIAL = frozenset({"新一代信息技术", "生物医药", "高端汽车", "机器人", "集成电路", "新能源", "新材料"})
# The matches are first found this many days before the demo's date, so the payout has a history.
MATCHED_DAYS_BEFORE = 120


def load(*, as_of: dt.date) -> None:
    from daiban.policies.services import policy_load_examples, policy_tick

    rng = random.Random(SEED)
    policy_load_examples(actor=None)
    _set_facts(rng)
    matched_on = max(as_of - dt.timedelta(days=MATCHED_DAYS_BEFORE), dt.date(as_of.year, 3, 1))
    policy_tick(today=matched_on)
    _advance_payouts(rng, as_of=as_of)


def clear() -> None:
    from daiban.policies.models import Policy, PolicyMatch

    PolicyMatch.all_objects.all().delete()
    Policy.all_objects.all().delete()


def _executemany(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """``UPDATE table SET columns WHERE id`` for many rows in one round of statements.

    Note: plain SQL on purpose: bulk_update's CASE expressions take seconds per 10,000 rows.
    """
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _set_facts(rng: random.Random) -> None:
    """Equipment investment and area on projects, the high-tech flag on enterprises (bulk updates)."""
    from daiban.projects.models import Enterprise, Project

    rows = []
    projects = Project.objects.order_by("pk").values_list("pk", "industry", "total_investment", "location")
    for pk, industry, total, location in projects:
        equipment = None
        if industry in INDUSTRIAL and rng.random() < 0.75:
            equipment = (total * Decimal(rng.randint(15, 45)) / 100).quantize(Decimal("0.01"))
        place = next((place for place in names.PLACES if place in location), None)
        rows.append((equipment, place or rng.choice(names.PLACES), pk))
    _executemany(Project, ("equipment_investment", "area"), rows)
    enterprises = Enterprise.objects.order_by("pk").values_list("pk", "industry")
    flags = [(industry in INDUSTRIAL and rng.random() < 0.4, pk) for pk, industry in enterprises]
    _executemany(Enterprise, ("high_tech",), flags)


def _advance_payouts(rng: random.Random, *, as_of: dt.date) -> None:
    """Some matches applied for (or granted directly), approved and paid, dated up to ``as_of``.

    Note: written in bulk like the rest of the demo's history (no audit entries); the same transitions
    through the services are what the pages, the API and the tests use.
    """
    from daiban.policies.models import MatchStatus, PolicyMatch

    rows = []
    matches = PolicyMatch.objects.filter(eligible=True).order_by("pk")
    for match in matches.values_list("pk", "status", "matched_on", "estimated_benefit", "version"):
        pk, status, day, estimate, version = match
        granted = status == MatchStatus.GRANTED
        if not granted and (status != MatchStatus.NOTIFIED or rng.random() > 0.45):
            continue
        applied_on = approved_on = amount = paid_on = None
        if not granted:
            day = applied_on = min(day + dt.timedelta(days=rng.randint(3, 30)), as_of)
            status = MatchStatus.APPLIED
        if rng.random() <= 0.7:
            day = approved_on = min(day + dt.timedelta(days=rng.randint(10, 40)), as_of)
            share = Decimal(rng.choice((100, 100, 95, 90, 80))) / 100
            amount = ((estimate or Decimal(0)) * share).quantize(Decimal("0.01"))
            status = MatchStatus.APPROVED
            if rng.random() <= 0.65:
                paid_on = min(day + dt.timedelta(days=rng.randint(5, 25)), as_of)
                status = MatchStatus.PAID
        if granted and approved_on is None:
            continue  # granted directly and still waiting for review: nothing to write
        paid_amount = amount if paid_on else None
        rows.append((status, applied_on, approved_on, amount, paid_on, paid_amount, version + 1, pk))
    columns = ("status", "applied_on", "approved_on", "approved_amount", "paid_on", "paid_amount", "version")
    _executemany(PolicyMatch, columns, rows)
