"""Benchmark: ``WorkCalendar.workdays_between`` on ten-year spans vs chinesecalendar and holidays.

Run: ``.venv/bin/python benchmarks/calendar_bench.py``. Prints µs per query and the ratios; the baselines
count day by day, so they get a small sample (the same pairs are answered by all three and must agree).
"""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta
from importlib import resources

import chinese_calendar
import holidays

from daiban.core.calendar import WorkCalendar

QUERIES = 1_000_000
POOL = 10_000
SAMPLE = 20
SPAN = timedelta(days=3652)  # ten years
SEED = 20260214


def random_pairs(rng: random.Random, first: date, last: date, count: int) -> list[tuple[date, date]]:
    """Pairs exactly ten years apart, starting anywhere that keeps both in [first, last], either order."""
    room = (last - SPAN - first).days
    pairs = []
    for _ in range(count):
        a = first + timedelta(days=rng.randint(0, room))
        pairs.append((a, a + SPAN) if rng.random() < 0.5 else (a + SPAN, a))
    return pairs


def per_query_us(count_fn, pairs: list[tuple[date, date]], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for a, b in pairs:
            count_fn(a, b)
    return (time.perf_counter() - start) / (len(pairs) * repeat) * 1e6


def signed(count_closed):
    """Adapt a closed-interval counter [x, y] to workdays_between's signed half-open (a, b]."""

    def count(a: date, b: date) -> int:
        if a == b:
            return 0
        low, high = min(a, b), max(a, b)
        n = count_closed(low + timedelta(days=1), high)
        return n if b > a else -n

    return count


def main() -> None:
    rng = random.Random(SEED)
    started = time.perf_counter()
    data = json.loads(
        resources.files("daiban.reference").joinpath("holidays.json").read_text(encoding="utf-8")
    )
    calendar = WorkCalendar.from_data(data)
    build_ms = (time.perf_counter() - started) * 1e3

    pool = random_pairs(rng, calendar.first, calendar.last, POOL)
    ours = per_query_us(calendar.workdays_between, pool, repeat=QUERIES // POOL)
    loop = per_query_us(lambda a, b: None, pool, repeat=QUERIES // POOL)
    print(f"WorkCalendar build from holidays.json ({calendar.first}..{calendar.last}): {build_ms:.1f} ms")
    print(f"workdays_between, {QUERIES:,} random ten-year queries: {ours:.3f} µs/query")
    print(f"  (of which the Python loop and call of an empty function: {loop:.3f} µs/query)")

    # Baselines know official years only (chinesecalendar stops at 2026): ten-year spans inside 2016..2026.
    sample = random_pairs(rng, date(2016, 1, 1), date(2026, 12, 31), SAMPLE)
    china = holidays.China(years=range(2016, 2027), language="zh_CN")
    cc_count = signed(lambda x, y: len(chinese_calendar.get_workdays(x, y)))
    hol_count = signed(china.get_working_days_count)
    for a, b in sample:
        expected = calendar.workdays_between(a, b)
        assert cc_count(a, b) == expected == hol_count(a, b), (a, b)
    ours_sample = per_query_us(calendar.workdays_between, sample, repeat=1000)
    cc = per_query_us(cc_count, sample)
    hol = per_query_us(hol_count, sample)
    print(f"same {SAMPLE} ten-year queries (2016..2026), all three agree:")
    print(f"  WorkCalendar.workdays_between      {ours_sample:12.3f} µs/query")
    print(f"  chinese_calendar.get_workdays      {cc:12.1f} µs/query   ratio {cc / ours_sample:,.0f}x")
    print(f"  holidays get_working_days_count    {hol:12.1f} µs/query   ratio {hol / ours_sample:,.0f}x")


if __name__ == "__main__":
    main()
