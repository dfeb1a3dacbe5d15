"""Benchmark: the whole daily run (`daiban tick`) at city scale, step by step, against per-event notify calls.

Loads ``daiban demo --scale N`` (issues, policies and meetings included) into a scratch SQLite database in a
temporary directory (never the configured one), then, on the next working day after the demo's date:

* each step of ``daily.run_daily`` timed with its query count — clocks and lights (approvals), issue
  escalation (coordination), policy matching (policies), notifications (in-app; e-mail is off);
* the same day again: every step must write nothing (idempotence), and its time is the cost of a quiet day;
* the baseline, in the same run: one ``notify()`` call per open warning/overdue case (what a straightforward
  implementation would do), on a sample, against the bulk notification step per case.

    .venv/bin/python benchmarks/daily_bench.py [--scale 10000] [--sample 300]

Prints seconds, queries and the ratio per-event / bulk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time


def setup(home: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DAIBAN_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "daiban.settings"
    for name in ("DAIBAN_SMTP_HOST",):  # the benchmark never sends mail
        os.environ.pop(name, None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(fn):
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    reset_queries()
    return result, seconds, queries


def steps():
    from daiban.approvals.services import tick
    from daiban.coordination.services import issue_tick
    from daiban.notifications.services import notifications_tick
    from daiban.policies.services import policy_tick

    return (
        ("clocks and lights", tick),
        ("issue escalation", issue_tick),
        ("policy matching", policy_tick),
        ("notifications", notifications_tick),
    )


def run_day(day: dt.date, label: str) -> float:
    print(f"{label} ({day.isoformat()}):")
    total = 0.0
    for name, step in steps():
        result, seconds, queries = timed(lambda step=step: step(today=day))
        total += seconds
        print(f"  {name:<20}{seconds:8.2f} s {queries:7d} queries  {result}")
    print(f"  {'whole run':<20}{total:8.2f} s")
    return total


def per_event_baseline(sample: int) -> tuple[int, float]:
    """notify() once per open warning/overdue case of a sample, keyed apart from the tick's own keys."""
    from daiban.approvals.models import ApprovalCase
    from daiban.notifications.models import Kind
    from daiban.notifications.selectors import project_team

    cases = list(
        ApprovalCase.objects.filter(sla_state__in=["warning", "overdue"], decided_on__isnull=True)
        .select_related("project__butler")
        .order_by("pk")[:sample]
    )

    def send() -> None:
        from daiban.notifications.services import notify

        for case in cases:
            notify(
                recipients=project_team(case.project),
                kind=Kind.CASE_OVERDUE,
                key=f"bench:{case.pk}",
                title=f"办件逾期：{case.name}",
                project=case.project,
            )

    _, seconds, _ = timed(send)
    return len(cases), seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="projects in the demo (default 10000)")
    parser.add_argument("--sample", type=int, default=300, help="cases the per-event baseline notifies")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="daiban-daily-bench-") as home:
        setup(home)
        from daiban.approvals.models import ApprovalCase
        from daiban.catalogue.selectors import work_calendar
        from daiban.demo import demo_load
        from daiban.notifications.models import Notification

        start = time.perf_counter()
        loaded = demo_load(scale=args.scale)
        print(
            f"demo: {loaded.projects} projects, {loaded.cases} cases, loaded with its own daily run "
            f"in {time.perf_counter() - start:.1f} s"
        )
        day = work_calendar().add_workdays(loaded.as_of, 1)
        run_day(day, "next working day")
        before = Notification.objects.count()
        run_day(day, "same day again")
        created = Notification.objects.count() - before
        print(f"  notifications created by the second run: {created} (must be 0)")

        open_flagged = ApprovalCase.objects.filter(
            sla_state__in=["warning", "overdue"], decided_on__isnull=True
        ).count()
        Notification.objects.filter(key__startswith="case:").delete()
        _, bulk_s, bulk_q = timed(lambda: steps()[3][1](today=day))
        count, naive_s = per_event_baseline(args.sample)
        bulk_per_case, naive_per_case = bulk_s / max(open_flagged, 1), naive_s / max(count, 1)
        print(
            f"case notifications, {open_flagged} open warning/overdue cases: bulk {bulk_s:.2f} s "
            f"({bulk_q} queries, {bulk_per_case * 1000:.2f} ms per case); per-event notify() on "
            f"{count}: {naive_s:.2f} s ({naive_per_case * 1000:.2f} ms per case), "
            f"ratio {naive_per_case / bulk_per_case:.1f}x"
        )
    return 1 if created else 0


if __name__ == "__main__":
    sys.exit(main())
