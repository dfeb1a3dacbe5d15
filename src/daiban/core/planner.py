"""Critical path method (CPM) on the working-day calendar.

Time is a *point* on the calendar's working-day ordinals (``WorkCalendar.ordinal``). An activity that starts
at point S — the day a case is accepted, which is not counted (民法典 art. 201) — and lasts N working days
finishes at S + N, the N-th working day after. A relation is an inequality between two such points:

    FS: succ.start  >= pred.finish + lag        SS: succ.start  >= pred.start + lag
    FF: succ.finish >= pred.finish + lag        SF: succ.finish >= pred.start + lag

so FS with lag 0 lets a successor be submitted on the day its predecessor's permit is issued. A natural-day
activity finishes on ``natural_deadline(start, N)``; both passes convert it through the calendar.

Speed: projects tailored from one catalogue share their structure, so the network (ids and relations) is
compiled once into integer adjacency lists — the two points of activity i at slots 2i (start) and 2i+1
(finish) — and cached by a structure key. For open working-day work without constraints (bulk and baseline
planning) the compiled network also holds generated straight-line passes on local ints; natural days,
constraints and actuals go through the general loops. Dates and ``ScheduledActivity`` objects are built
only when ``Schedule.activities`` is first read. benchmarks/planner_bench.py measures it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from daiban.core.errors import DomainError

WORKING_DAYS = "working_days"
NATURAL_DAYS = "natural_days"
UNITS = (WORKING_DAYS, NATURAL_DAYS)
KINDS = ("FS", "SS", "FF", "SF")
# The point of the predecessor a relation reads (0 start, 1 finish) and the point of the successor it bounds.
_SOURCE_POINT = {"FS": 1, "SS": 0, "FF": 1, "SF": 0}
_TARGET_POINT = {"FS": 0, "SS": 0, "FF": 1, "SF": 1}
# More chains than this are not listed (a conventional plan with equal limits in every stage has
# n1 × n2 × … of them); every critical activity is still flagged.
MAX_CRITICAL_PATHS = 100
_NETWORK_CACHE_SIZE = 1024
_GENERATED_MAX_ACTIVITIES = 300  # bigger networks use the loops: a huge generated function compiles slowly
_FAR = 1 << 40  # a bound that never binds

# Activity modes in the passes, and the status each one reports.
_OPEN, _OPEN_NATURAL, _RUNNING, _DONE = 0, 1, 2, 3
_STATUS = ("open", "open", "running", "done")


class CycleError(DomainError):
    """The relations form a cycle; the message lists it, e.g. 依赖关系成环：A → B → A."""


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    duration: int
    unit: str = WORKING_DAYS
    name: str = ""
    start_no_earlier_than: date | None = None
    finish_no_later_than: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise DomainError(f"活动编号 {self.id!r} 无效（应为非空文本）")
        if type(self.duration) is not int or self.duration < 0:
            raise DomainError(f"活动 '{self.id}' 的工期 {self.duration!r} 无效（应为非负整数）")
        if self.unit not in UNITS:
            raise DomainError(
                f"活动 '{self.id}' 的时限单位 '{self.unit}' 未知（应为 working_days 或 natural_days）"
            )
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            raise DomainError(
                f"活动 '{self.id}' 的实际完成日 {self.actual_finish} 早于实际开始日 {self.actual_start}"
            )


@dataclass(frozen=True, slots=True)
class Relation:
    predecessor: str
    successor: str
    kind: str = "FS"
    lag: int = 0  # working days, may be negative

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DomainError(
                f"依赖关系 {self.predecessor} → {self.successor} 的类型 '{self.kind}' 未知"
                "（应为 FS、SS、FF 或 SF）"
            )
        if type(self.lag) is not int:
            raise DomainError(
                f"依赖关系 {self.predecessor} → {self.successor} 的间隔 {self.lag!r} 应为整数工作日"
            )


@dataclass(frozen=True, slots=True)
class ScheduledActivity:
    id: str
    name: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    status: str  # "done" | "running" | "open"


# early then late points (see _Result.points), total float, free float, least total float, early finish
_Ints = tuple[list[int], list[int], list[int], int, int]


@dataclass(frozen=True, slots=True)
class _Network:
    """A compiled structure: slot lists in topological order, shared by every project with that structure."""

    ids: tuple[str, ...]
    order: tuple[int, ...]
    # (i, start slot, finish slot, [(pred slot, lag)] bounding start, [(pred slot, lag)] bounding finish)
    forward: tuple[tuple[int, int, int, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]], ...]
    # (i, start slot, finish slot, [(succ slot, lag)] bounding finish, [(succ slot, lag)] bounding start)
    backward: tuple[tuple[int, int, int, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]], ...]
    # (pred, pred slot, succ, succ slot, lag) of every relation: free float and critical chains
    links: tuple[tuple[int, int, int, int, int], ...]
    # The generated passes for open working-day work without constraints (see _plain_source); None if too big.
    plain: Callable[[list[int], int, int | None], _Ints] | None


_networks: dict[tuple, _Network] = {}


def _network(activities: Sequence[Activity], relations: Sequence[Relation]) -> _Network:
    ids = tuple([a.id for a in activities])
    links = tuple([(r.predecessor, r.successor, r.kind, r.lag) for r in relations])
    key = (ids, links)
    network = _networks.get(key)
    if network is None:
        network = _compile(ids, links)
        if len(_networks) >= _NETWORK_CACHE_SIZE:
            _networks.clear()
        _networks[key] = network
    return network


def _compile(ids: tuple[str, ...], links: tuple[tuple[str, str, str, int], ...]) -> _Network:
    index: dict[str, int] = {}
    for i, activity_id in enumerate(ids):
        if activity_id in index:
            raise DomainError(f"活动编号重复：'{activity_id}'")
        index[activity_id] = i
    compiled = []
    for pred_id, succ_id, kind, lag in links:
        for activity_id in (pred_id, succ_id):
            if activity_id not in index:
                raise DomainError(f"依赖关系 {pred_id} → {succ_id} 引用了不存在的活动 '{activity_id}'")
        p, s = index[pred_id], index[succ_id]
        compiled.append((p, 2 * p + _SOURCE_POINT[kind], s, 2 * s + _TARGET_POINT[kind], lag))
    order = _topological_order(ids, compiled)
    into_start: list[list] = [[] for _ in ids]
    into_finish: list[list] = [[] for _ in ids]
    from_finish: list[list] = [[] for _ in ids]
    from_start: list[list] = [[] for _ in ids]
    for p, p_slot, s, s_slot, lag in compiled:
        (into_finish if s_slot & 1 else into_start)[s].append((p_slot, lag))
        (from_finish if p_slot & 1 else from_start)[p].append((s_slot, lag))
    forward = tuple((i, 2 * i, 2 * i + 1, tuple(into_start[i]), tuple(into_finish[i])) for i in order)
    backward = tuple(
        (i, 2 * i, 2 * i + 1, tuple(from_finish[i]), tuple(from_start[i])) for i in reversed(order)
    )
    plain = None
    if len(ids) <= _GENERATED_MAX_ACTIVITIES:
        namespace: dict[str, Any] = {}
        exec(compile(_plain_source(len(ids), forward, backward, compiled), "<cpm>", "exec"), namespace)
        plain = namespace["passes"]
    return _Network(ids, order, forward, backward, tuple(compiled), plain)


def _plain_source(
    n: int, forward: tuple, backward: tuple, links: list[tuple[int, int, int, int, int]]
) -> str:
    """Straight-line Python for both passes and the floats of one structure, on local ints only.

    Note: this is the hot path of bulk planning (several times faster than the loops of ``_forward`` and
    ``_backward``, which remain the reference and handle everything else). Only ints are interpolated — slot
    numbers and lags, which ``Relation`` checks are ints — so no user text reaches the generated code.
    Names: d duration, s/f early start/finish, a/b late start/finish, t total and g free float of activity i.
    """
    early = ("s", "f")
    late = ("a", "b")
    every = range(n)
    lines = ["def passes(dur, floor, finish):", "    " + "".join(f"d{i}, " for i in every) + "= dur"]
    add = lines.append
    for i, _, _, into_start, into_finish in forward:
        # A start bound from a start-type relation with lag >= 0 is already >= floor: no need to test floor.
        bounds = [(f"{early[slot & 1]}{slot >> 1}{_plus(lag)}", lag) for slot, lag in into_start]
        bounds.sort(key=lambda bound: bound[1] < 0)
        bounds += [(f"{early[slot & 1]}{slot >> 1}{_plus(lag)} - d{i}", -1) for slot, lag in into_finish]
        _bound(add, f"s{i}", "floor", bounds, ">")
        add(f"    f{i} = s{i} + d{i}")
    add("    pf = max((" + "".join(f"f{i}, " for i in every) + "))")
    add("    P = pf if finish is None else finish")
    for i, _, _, from_finish, from_start in backward:
        # A finish bound from a finish-type relation with lag >= 0 is already <= P (the successor ends by P).
        bounds = [(f"{late[slot & 1]}{slot >> 1}{_plus(-lag)}", lag) for slot, lag in from_finish]
        bounds.sort(key=lambda bound: bound[1] < 0)
        _bound(add, f"b{i}", "P", bounds, "<")
        add(f"    a{i} = b{i} - d{i}")
        for slot, lag in from_start:
            add(f"    v = {late[slot & 1]}{slot >> 1}{_plus(-lag)}")
            add(f"    if v < a{i}: a{i} = v")
        if from_start:
            add(f"    b{i} = a{i} + d{i}")
    for i in every:
        add(f"    t{i} = a{i} - s{i}")
        add(f"    g{i} = pf - f{i}")
    for p, p_slot, _, s_slot, lag in links:
        add(f"    v = {early[s_slot & 1]}{s_slot >> 1} - {early[p_slot & 1]}{p_slot >> 1}{_plus(-lag)}")
        add(f"    if v < g{p}: g{p} = v")
    add("    return (")
    add(
        "        [" + "".join(f"s{i}, f{i}, " for i in every) + "".join(f"a{i}, b{i}, " for i in every) + "],"
    )
    add("        [" + "".join(f"t{i}, " for i in every) + "],")
    add("        [" + "".join(f"g{i}, " for i in every) + "],")
    add("        min((" + "".join(f"t{i}, " for i in every) + ")),")
    add("        pf,")
    add("    )")
    return "\n".join(lines) + "\n"


def _plus(lag: int) -> str:
    """`` + 3``, `` - 2`` or nothing: CPython does not fold ``x + 0``."""
    return f" + {lag:d}" if lag > 0 else f" - {-lag:d}" if lag < 0 else ""


def _bound(
    add: Callable[[str], None], name: str, default: str, bounds: list[tuple[str, int]], beyond: str
) -> None:
    """Emit ``name = the max (">") or min ("<") of default and bounds``; a first bound with lag >= 0 makes
    the default redundant (see the callers)."""
    if bounds and bounds[0][1] >= 0:
        add(f"    {name} = {bounds[0][0]}")
        bounds = bounds[1:]
    else:
        add(f"    {name} = {default}")
    for expression, _ in bounds:
        add(f"    v = {expression}")
        add(f"    if v {beyond} {name}: {name} = v")


def _topological_order(ids: tuple[str, ...], links: list[tuple[int, int, int, int, int]]) -> tuple[int, ...]:
    """Kahn's algorithm, stable on the input order; a cycle raises CycleError naming it."""
    successors: list[list[int]] = [[] for _ in ids]
    indegree = [0] * len(ids)
    for p, _, s, _, _ in links:
        successors[p].append(s)
        indegree[s] += 1
    order = [i for i, degree in enumerate(indegree) if degree == 0]
    for i in order:  # the list grows while it is walked
        for s in successors[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                order.append(s)
    if len(order) < len(ids):
        cycle = _find_cycle(successors, [degree > 0 for degree in indegree])
        raise CycleError("依赖关系成环：" + " → ".join(ids[i] for i in cycle))
    return tuple(order)


def _find_cycle(successors: list[list[int]], remaining: list[bool]) -> list[int]:
    """One cycle among the nodes Kahn could not order (each of them has a remaining predecessor)."""
    start = remaining.index(True)
    predecessor_of: list[int] = [-1] * len(successors)
    for p, targets in enumerate(successors):
        for s in targets:
            if remaining[p] and remaining[s]:
                predecessor_of[s] = p
    # Walking predecessors backwards must revisit a node: that loop is the cycle.
    seen: dict[int, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(seen)
        node = predecessor_of[node]
    cycle = list(seen)[seen[node] :][::-1]
    first = cycle.index(min(cycle))  # start at the earliest listed activity: a stable, readable message
    cycle = cycle[first:] + cycle[:first]
    return [*cycle, cycle[0]]


@dataclass(frozen=True, slots=True, eq=False)
class Schedule:
    start: date
    finish: date
    duration: int  # working days from start to finish (workdays_between)
    _result: _Result = field(repr=False)
    # Built on first read (see the module's note on speed).
    _activities: dict[str, ScheduledActivity] | None = field(default=None, init=False, repr=False)
    _critical_paths: list[list[str]] | None = field(default=None, init=False, repr=False)

    @property
    def activities(self) -> dict[str, ScheduledActivity]:
        """Every activity, in topological order."""
        if self._activities is None:
            object.__setattr__(self, "_activities", self._result.scheduled())
        return self._activities  # type: ignore[return-value]

    @property
    def critical_paths(self) -> list[list[str]]:
        """Every chain of critical activities linked by driving relations, from a start to an end."""
        if self._critical_paths is None:
            object.__setattr__(self, "_critical_paths", self._result.critical_paths())
        return self._critical_paths  # type: ignore[return-value]

    def critical_ids(self) -> set[str]:
        ids, critical = self._result.network.ids, self._result.critical()
        return {ids[i] for i in self._result.network.order if critical[i]}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return (self.start, self.finish, self.duration, self.activities, self.critical_paths) == (
            other.start,
            other.finish,
            other.duration,
            other.activities,
            other.critical_paths,
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(slots=True)
class _Result:
    """The int results of one plan; dates are made from them on demand.

    Note: a bulk run keeps one of these per project, so it holds few containers (the collector walks them).
    """

    network: _Network
    activities: Sequence[Activity]
    calendar: Any
    mode: Sequence[int]
    points: list[int]  # early points at slots 0..2n-1 (2i start, 2i+1 finish), then the late ones
    total_float: list[int]
    free_float: list[int]
    least: int  # the least total float of work not done: critical is at or below it

    def critical(self) -> list[bool]:
        least = self.least
        return [m != _DONE and f <= least for f, m in zip(self.total_float, self.mode, strict=True)]

    def scheduled(self) -> dict[str, ScheduledActivity]:
        date_of, points, activities = self.calendar.date_of, self.points, self.activities
        total_float, free_float, critical = self.total_float, self.free_float, self.critical()
        late = len(points) // 2
        out = {}
        for i in self.network.order:
            a, mode = activities[i], self.mode[i]
            if mode < _RUNNING:
                es, ef = date_of(points[2 * i]), date_of(points[2 * i + 1])
                ls, lf = date_of(points[late + 2 * i]), date_of(points[late + 2 * i + 1])
            else:  # a started activity's start (and a done one's finish) are facts, not plans
                es = a.actual_start or date_of(points[2 * i])
                ef = a.actual_finish or date_of(points[2 * i + 1])
                ls, lf = es, (ef if mode == _DONE else date_of(points[late + 2 * i + 1]))
            status = _STATUS[mode]
            # Positional: this runs once per activity of every schedule that is read.
            out[a.id] = ScheduledActivity(
                a.id, a.name, es, ef, ls, lf, total_float[i], free_float[i], critical[i], status
            )
        return out

    def critical_paths(self) -> list[list[str]]:
        critical, early, ids = self.critical(), self.points, self.network.ids
        driving: dict[int, list[int]] = {}
        has_driver: set[int] = set()
        for p, p_slot, s, s_slot, lag in self.network.links:
            if critical[p] and critical[s] and early[s_slot] == early[p_slot] + lag:
                driving.setdefault(p, []).append(s)
                has_driver.add(s)
        paths: list[list[str]] = []
        for first in self.network.order:
            if critical[first] and first not in has_driver:
                _collect_paths(first, driving, ids, paths)
        return paths


def _collect_paths(first: int, driving: dict[int, list[int]], ids: tuple[str, ...], out: list) -> None:
    """Append every driving chain from ``first`` to an end, depth first in relation order (no recursion:
    chains can be longer than Python's recursion limit)."""
    stack = [[first]]
    while stack and len(out) < MAX_CRITICAL_PATHS:
        path = stack.pop()
        nexts = driving.get(path[-1])
        if nexts:
            stack += [[*path, s] for s in reversed(nexts)]
        else:
            out.append([ids[i] for i in path])


def plan(
    activities: Sequence[Activity],
    relations: Sequence[Relation],
    *,
    calendar: Any,
    start: date,
    status_date: date | None = None,
    finish_no_later_than: date | None = None,
) -> Schedule:
    """Early and late dates, floats and critical chains of a network on ``calendar``.

    Done work (``actual_finish``) keeps its actual dates; running work (``actual_start`` only) keeps its start
    and finishes no earlier than its duration allows nor before the next workday after ``status_date``; open
    work starts no earlier than ``status_date``. A start on a rest day moves to the next workday (a case is
    accepted on a workday). Unmeetable finish-no-later-than dates give negative float, not an error.
    """
    activities = tuple(activities)  # kept for the lazy dates: a caller's list may change later
    if not activities:
        raise DomainError("计划中没有任何活动")
    network = _network(activities, relations)
    ordinal = calendar.ordinal
    start = calendar.next_workday(start, inclusive=True)
    origin = ordinal(start)
    floor = origin
    if status_date is not None:
        floor = max(origin, ordinal(calendar.next_workday(status_date, inclusive=True)))
    finish_point = None if finish_no_later_than is None else ordinal(finish_no_later_than)
    duration = [a.duration for a in activities]
    special = [
        i
        for i, a in enumerate(activities)
        if a.unit != WORKING_DAYS
        or a.start_no_earlier_than
        or a.finish_no_later_than
        or a.actual_start
        or a.actual_finish
    ]
    if special or network.plain is None:
        mode, ints = _loops(
            network, activities, special, duration, calendar, floor, finish_point, status_date
        )
    else:
        mode, ints = _all_open(len(activities)), network.plain(duration, floor, finish_point)
    points, total_float, free_float, least, early_finish = ints
    finish = calendar.date_of(early_finish)
    if special:
        last = points.index(early_finish) // 2  # the early points come first
        if mode[last] == _DONE:
            finish = activities[last].actual_finish  # it may have finished on a rest day
    result = _Result(network, activities, calendar, mode, points, total_float, free_float, least)
    return Schedule(start, finish, early_finish - origin, result)


@cache
def _all_open(n: int) -> tuple[int, ...]:
    return (_OPEN,) * n


def _loops(
    network: _Network,
    activities: Sequence[Activity],
    special: list[int],
    duration: list[int],
    calendar: Any,
    floor: int,
    finish_point: int | None,
    status_date: date | None,
) -> tuple[list[int], _Ints]:
    """The general passes: natural days, constraints and actuals. Returns the modes and the int results."""
    n = len(activities)
    mode, floors, ceiling, fixed = [_OPEN] * n, [floor] * n, {}, {}
    for i in special:
        _prepare(i, activities[i], calendar, status_date, mode, floors, ceiling, fixed)
    early = _forward(network, mode, duration, floors, fixed, calendar)
    early_finish = max(early[1::2])
    project_finish = early_finish if finish_point is None else finish_point
    late = _backward(network, mode, duration, ceiling, project_finish, calendar)
    total_float = [
        (late[2 * i + 1] - early[2 * i + 1] if m == _RUNNING else late[2 * i] - early[2 * i])
        if m != _DONE
        else 0
        for i, m in enumerate(mode)
    ]
    free_float = _free_float(network, early, early_finish, mode)
    least = min((f for f, m in zip(total_float, mode, strict=True) if m != _DONE), default=0)
    return mode, (early + late, total_float, free_float, least, early_finish)


def _prepare(
    i: int,
    a: Activity,
    calendar: Any,
    status_date: date | None,
    mode: list[int],
    floor: list[int],
    ceiling: dict[int, int],
    fixed: dict[int, tuple[int, int]],
) -> None:
    """Record the mode, constraints and actuals of one activity that is not plain open working-day work."""
    ordinal = calendar.ordinal
    natural = a.unit == NATURAL_DAYS
    if a.finish_no_later_than:
        ceiling[i] = ordinal(a.finish_no_later_than)
    if a.actual_finish:
        mode[i] = _DONE
        finish = ordinal(a.actual_finish)
        start = (
            ordinal(a.actual_start)
            if a.actual_start
            else _latest_start(natural, a.duration, finish, calendar)
        )
        fixed[i] = (start, finish)
    elif a.actual_start:
        mode[i] = _RUNNING
        start = ordinal(a.actual_start)
        finish = _finish(natural, a.duration, start, calendar)
        if status_date is not None:
            finish = max(finish, ordinal(status_date) + 1)
        fixed[i] = (start, finish)
    else:
        mode[i] = _OPEN_NATURAL if natural else _OPEN
        if a.start_no_earlier_than:
            floor[i] = max(floor[i], ordinal(calendar.next_workday(a.start_no_earlier_than, inclusive=True)))


def _finish(natural: bool, d: int, start: int, calendar: Any) -> int:
    """The finish point of an activity of ``d`` days started at point ``start``."""
    if not natural:
        return start + d
    return calendar.ordinal(calendar.natural_deadline(calendar.date_of(start), d))


def _latest_start(natural: bool, d: int, finish: int, calendar: Any) -> int:
    """The latest start point of an activity of ``d`` days whose finish is at or before point ``finish``."""
    if not natural:
        return finish - d
    # natural_deadline(x, d) only moves forward to a workday, so x + d <= date_of(finish) is exactly the test.
    return calendar.ordinal(calendar.date_of(finish) - timedelta(days=d))


def _forward(
    network: _Network,
    mode: list[int],
    duration: list[int],
    floor: list[int],
    fixed: dict[int, tuple[int, int]],
    calendar: Any,
) -> list[int]:
    early = [0] * (2 * len(mode))
    for i, si, fi, into_start, into_finish in network.forward:
        m = mode[i]
        if m == _OPEN:
            es = floor[i]
            for slot, lag in into_start:
                v = early[slot] + lag
                if v > es:
                    es = v
            d = duration[i]
            for slot, lag in into_finish:
                v = early[slot] + lag - d
                if v > es:
                    es = v
            early[si] = es
            early[fi] = es + d
            continue
        if m == _OPEN_NATURAL:
            es = floor[i]
            for slot, lag in into_start:
                es = max(es, early[slot] + lag)
            d = duration[i]
            ef = _finish_bound(early, into_finish)
            if ef is not None:
                # The earliest start whose finish reaches ef is one after the latest that finishes before it.
                es = max(es, _latest_start(True, d, ef - 1, calendar) + 1)
            early[si] = es
            early[fi] = _finish(True, d, es, calendar)
            continue
        es, ef = fixed[i]
        if m == _RUNNING:
            bound = _finish_bound(early, into_finish)
            ef = ef if bound is None else max(ef, bound)
        early[si] = es
        early[fi] = ef
    return early


def _finish_bound(early: list[int], into_finish: tuple[tuple[int, int], ...]) -> int | None:
    return max((early[slot] + lag for slot, lag in into_finish), default=None)


def _backward(
    network: _Network,
    mode: list[int],
    duration: list[int],
    ceiling: dict[int, int],
    project_finish: int,
    calendar: Any,
) -> list[int]:
    late = [0] * (2 * len(mode))
    for i, si, fi, from_finish, from_start in network.backward:
        m = mode[i]
        if m == _DONE:
            # Progress override: finished work no longer constrains its predecessors.
            late[si] = late[fi] = _FAR
            continue
        lf = ceiling.get(i, project_finish) if ceiling else project_finish
        if lf > project_finish:
            lf = project_finish
        for slot, lag in from_finish:
            v = late[slot] - lag
            if v < lf:
                lf = v
        if m == _RUNNING:
            # A started activity's start can no longer move, so start-type relations into it do not bind.
            late[si] = _FAR
            late[fi] = lf
            continue
        if m == _OPEN:
            d = duration[i]
            ls = lf - d
            for slot, lag in from_start:
                v = late[slot] - lag
                if v < ls:
                    ls = v
            late[si] = ls
            late[fi] = ls + d
            continue
        d = duration[i]
        ls = _latest_start(True, d, lf, calendar)
        if from_start:
            ls = min(ls, min(late[slot] - lag for slot, lag in from_start))
            lf = min(lf, _finish(True, d, ls, calendar))
        late[si] = ls
        late[fi] = lf
    return late


def _free_float(network: _Network, early: list[int], early_finish: int, mode: list[int]) -> list[int]:
    """Slack to every successor's early point, and to the project's early finish."""
    free = [early_finish - early[2 * i + 1] for i in range(len(mode))]
    for p, p_slot, _, s_slot, lag in network.links:
        slack = early[s_slot] - early[p_slot] - lag
        if slack < free[p]:
            free[p] = slack
    for i, m in enumerate(mode):
        if m == _DONE:
            free[i] = 0
    return free
