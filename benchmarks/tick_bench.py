"""Benchmark: `daiban tick` (approvals.services.tick) over many projects × ~21 cases, against a naive tick.

Builds a scratch SQLite database in a temporary directory (never the configured one): N projects copied from
one generated handbook, a third of the cases accepted on random days (a few suspended, some decided). Then:

* tick, first run (every open case's clock and every project's light written),
* tick, second run on the same day (idempotent: reads only),
* the naive baseline on a sample of projects, measured in the same run: per case one query for its
  suspensions and one save, per project its own queries for milestones and investment and one save.

    .venv/bin/python benchmarks/tick_bench.py [--projects 2000] [--sample 200]

Prints seconds, queries, and the per-project ratio naive / bulk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal

SEED = 20260302
DAY = dt.date(2026, 6, 15)


def setup(home: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DAIBAN_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "daiban.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build(count: int) -> None:
    from django.db import transaction

    from daiban.approvals.models import ApprovalCase, CaseSuspension
    from daiban.approvals.services import cases_generate
    from daiban.projects.models import Project

    rng = random.Random(SEED)
    template = Project.objects.create(
        name="模板项目",
        annual_plan=Decimal(12000),
        land_supply_mode="land_with_scheme",
        project_type="industrial",
        eia_category="table",
        building_area_m2=Decimal(30000),
        total_investment=Decimal(50000),
    )
    cases = cases_generate(actor=None, project=template)
    skip = {"id", "project", "project_id"}
    fields = [
        f.attname for f in ApprovalCase._meta.concrete_fields if f.name not in skip and f.attname not in skip
    ]
    with transaction.atomic():
        projects = Project.objects.bulk_create(
            [Project(name=f"项目{i:05d}", annual_plan=Decimal(12000), year=2026) for i in range(count - 1)]
        )
        rows, suspended = [], []
        for project in projects:
            for case in cases:
                copy = ApprovalCase(project=project, **{name: getattr(case, name) for name in fields})
                if rng.random() < 1 / 3:
                    copy.submitted_on = copy.accepted_on = DAY - dt.timedelta(days=rng.randint(1, 60))
                    if rng.random() < 0.2:
                        copy.decided_on = copy.accepted_on + dt.timedelta(days=rng.randint(0, 10))
                rows.append(copy)
        ApprovalCase.objects.bulk_create(rows, batch_size=2000)
        for case in ApprovalCase.objects.filter(accepted_on__isnull=False, decided_on__isnull=True).only(
            "accepted_on"
        ):
            if rng.random() < 0.1:
                suspended.append(
                    CaseSuspension(
                        case=case,
                        start=case.accepted_on + dt.timedelta(days=1),
                        end=case.accepted_on + dt.timedelta(days=5),
                        reason="supplement",
                    )
                )
        CaseSuspension.objects.bulk_create(suspended, batch_size=2000)


def timed(fn):
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return result, seconds, queries


def naive_tick(project_ids: list[int], day: dt.date) -> None:
    """The obvious way: a query per case for its suspensions and a save per case, a few queries a project."""
    from django.db.models import Sum

    from daiban.approvals import planning
    from daiban.approvals.models import ApprovalCase
    from daiban.core.lights import load_rule_sets
    from daiban.investment.models import MonthlyInvestment
    from daiban.projects.models import Milestone, Project

    rules = load_rule_sets()["default"]
    for project in Project.objects.filter(pk__in=project_ids):
        overdue = []
        for case in ApprovalCase.objects.filter(
            project=project, accepted_on__isnull=False, decided_on__isnull=True
        ):
            values = planning.sla_values(case, list(case.suspensions.all()), today=day)
            planning.changed(case, values)
            case.save(update_fields=list(values))
            if case.sla_state == "overdue":
                overdue.append(case)
        started = Milestone.objects.filter(project=project, kind__code="started").first()
        done = MonthlyInvestment.objects.filter(
            project=project, year=day.year, month__lt=day.month
        ).aggregate(total=Sum("amount"))["total"]
        status = planning.project_status(
            today=day,
            annual_plan=project.annual_plan,
            completed=done or Decimal(0),
            schedule_progress=Decimal(day.month - 1) / 12,
            planned_start=started and started.planned_on,
            actual_start=started and started.actual_on,
            overdue=overdue,
        )
        light = rules.evaluate(status)
        project.light, project.light_reasons = light.light, planning.light_reasons(light)
        project.save(update_fields=["light", "light_reasons"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=200, help="projects the naive baseline runs on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="daiban-tick-bench-") as home:
        setup(home)
        from daiban.approvals.models import ApprovalCase
        from daiban.approvals.services import tick
        from daiban.projects.models import Project

        start = time.perf_counter()
        build(args.projects)
        cases = ApprovalCase.objects.count()
        open_cases = ApprovalCase.objects.filter(accepted_on__isnull=False, decided_on__isnull=True).count()
        built = time.perf_counter() - start
        print(f"built {args.projects} projects, {cases} cases ({open_cases} open) in {built:.1f} s")

        first, first_s, first_q = timed(lambda: tick(today=DAY))
        print(f"tick, first run:  {first_s:6.2f} s  {first_q:5d} queries  {first}")
        second, second_s, second_q = timed(lambda: tick(today=DAY))
        print(f"tick, second run: {second_s:6.2f} s  {second_q:5d} queries  {second}")

        sample = list(Project.objects.order_by("pk").values_list("pk", flat=True)[: args.sample])
        ApprovalCase.objects.filter(project_id__in=sample).update(sla_state="", due_on=None)
        Project.objects.filter(pk__in=sample).update(light="", light_reasons=[])
        _, naive_s, naive_q = timed(lambda: naive_tick(sample, DAY))
        print(f"naive, {len(sample)} projects: {naive_s:6.2f} s  {naive_q:5d} queries")
        bulk_per_project = first_s / args.projects
        naive_per_project = naive_s / len(sample)
        print(
            f"per project: bulk {bulk_per_project * 1000:.2f} ms, naive {naive_per_project * 1000:.2f} ms, "
            f"ratio {naive_per_project / bulk_per_project:.1f}x; "
            f"naive for all {args.projects} projects ≈ {naive_per_project * args.projects:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
