"""Web speed at city scale: the 驾驶舱 and the project page on SQLite and PostgreSQL, then under gunicorn.

Per database, with ``daiban demo --scale N`` loaded (timed):

1. server time in-process (``django.test.Client``, the whole middleware stack, no network): the dashboard
   as leader and as dispatcher (its figures cached per state of the data, as users meet them), right after
   a recorded case event (the figures but investment recomputed: the first view after most changes) and
   with the cache emptied before every request (the first view after a restart or a change to what the
   investment figures read), the project page as the butler
   (cycling through the butler's projects) and as a dispatcher (a fixed sample of projects), the page's
   coordination-issue and policy cards (htmx fragments loaded after it), and the baseline page (``/login/``,
   anonymous) — after a warm-up, ``--requests`` rounds of one request per page (interleaved, so that load
   from elsewhere on the machine falls on every page alike) → p50/p95/max;
2. ``daiban serve`` (gunicorn, 2 sync workers) on a free loopback port, signed in over HTTP with CSRF, and
   ``wrk`` (Debian's; a bounded Python thread pool when absent) driving the project page, then the baseline
   pages (``/login/`` and a static file) for the same time each → requests/s and latency.

Targets (issue 5): dashboard p95 < 150 ms, project page p95 < 50 ms. A page that misses is profiled (its
slowest queries with their plans, cProfile of one request); ``--profile`` profiles every page. On PostgreSQL
the loaded tables are ANALYZEd (what autovacuum does after a bulk load; it is off on some servers);
``--pg-options "-c jit=off"`` passes session settings to every connection through PGOPTIONS.

    .venv/bin/python benchmarks/web.py [--scale 10000] [--db sqlite|postgres|both] [--requests 100]
        [--duration 10] [--connections 4] [--keep] [--profile] [--pg-options "-c jit=off"]

``--keep`` keeps the loaded databases (SQLite under $TMPDIR/daiban-bench-web-sqlite, PostgreSQL database
``daiban_bench_web``) and reuses them next time when they hold the same scale. Without it both are removed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_MS = {"dashboard": 150.0, "project": 50.0}
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "daiban_bench_web"
KEPT_HOME = Path(tempfile.gettempdir()) / "daiban-bench-web-sqlite"
WARMUP = 5
SAMPLE_PROJECTS = 50
SEED = 20261123
BIN = Path(sys.executable).parent


# ------------------------------------------------------------------------------------------ set-up


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_exists() -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_NAME,)).fetchone() is not None


def environment(db: str, keep: bool, pg_options: str | None) -> Path:
    """Point daiban at its own database (never the configured one); returns DAIBAN_HOME."""
    home = KEPT_HOME if keep else Path(tempfile.mkdtemp(prefix="daiban-bench-web-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAIBAN_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "daiban.settings"
    os.environ.pop("DAIBAN_DEBUG", None)
    os.environ.pop("DATABASE_URL", None)
    if db == "postgres":
        if pg_options:
            os.environ["PGOPTIONS"] = pg_options  # read by libpq: the benchmark's and gunicorn's connections
        if not pg_exists():
            pg_admin(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    return home


def load(scale: int, reuse: bool) -> dict:
    """Migrate, collect static files, load the demo at ``scale`` unless a kept database already has it."""
    import django

    django.setup()
    from daiban.approvals.models import ApprovalCase
    from daiban.commands.init import prepare
    from daiban.demo import demo_load
    from daiban.projects.models import Project

    prepare()
    if reuse and Project.all_objects.count() == scale:
        loaded = {"seconds": None, "projects": scale, "cases": ApprovalCase.objects.count()}
    else:
        result = demo_load(scale=scale, force=True, progress=lambda line: print("  ", line, file=sys.stderr))
        loaded = {"seconds": result.seconds, "projects": result.projects, "cases": result.cases}
    return loaded | {"notes": pg_statistics()}


def pg_statistics() -> str:
    """On PostgreSQL, ANALYZE the freshly loaded tables: autovacuum would do it within a minute of a bulk
    load, but it may be off (it is on this machine), and stale statistics give nested loops over 10k rows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "no ANALYZE (none is run by daiban)"
    with connection.cursor() as cursor:
        settings = {}
        for name in ("autovacuum", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("ANALYZE")
    shown = ", ".join(f"{name}={value}" for name, value in settings.items())
    return f"ANALYZE run after load; server {shown}" + (
        f"; PGOPTIONS={os.environ['PGOPTIONS']!r}" if os.environ.get("PGOPTIONS") else ""
    )


def cleanup(db: str, home: Path, keep: bool) -> None:
    if keep:
        return
    from django.db import connections

    connections.close_all()
    if db == "postgres":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    shutil.rmtree(home, ignore_errors=True)


# ------------------------------------------------------------------------------------------ in-process


def client_for(username: str | None):
    from django.test import Client

    from daiban.demo.district import DEMO_PASSWORD

    client = Client()
    if username and not client.login(username=username, password=DEMO_PASSWORD):
        raise SystemExit(f"演示账号 {username} 无法登录")
    return client


class ColdClient:
    """A client whose every request finds the figures cache empty: the first view after a restart, or after
    a change to what the investment figures read (a monthly report, a project, a milestone, the target)."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str):
        from django.core.cache import cache

        cache.clear()
        return self.client.get(path)


class ChangedClient:
    """A client whose every request follows a recorded case event: before it, the audit entry that every
    case recording (and the daily run) leaves, so the figures other than investment are recomputed."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str):
        from daiban.audit.models import AuditAction, AuditEntry

        AuditEntry.objects.create(
            actor_name="bench", action=AuditAction.UPDATE, model_label="approvals.approvalcase",
            object_id="0", object_repr="benchmark", changes={},
        )  # fmt: skip
        return self.client.get(path)


def project_paths(username: str | None) -> list[str]:
    """The butler's own projects, or (username None) a fixed random sample of all projects."""
    from daiban.projects.models import Project

    projects = Project.objects.order_by("pk")
    if username:
        ids = list(projects.filter(butler__username=username).values_list("pk", flat=True))
    else:
        ids = list(projects.values_list("pk", flat=True))
        ids = random.Random(SEED).sample(ids, min(SAMPLE_PROJECTS, len(ids)))
    return [f"/projects/{pk}/" for pk in ids]


def card_paths(username: str, app: str) -> list[str]:
    """The htmx card of ``app`` (/issues/project/<id>/, /policies/project/<id>/) for the user's projects."""
    return [path.replace("/projects/", f"/{app}/project/") for path in project_paths(username)]


def query_count(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} 未返回 200")
    return len(queries)


def time_pages(pages: dict[str, tuple], count: int) -> dict[str, dict]:
    """Milliseconds per request: ``count`` rounds, each one request of every page (its paths in turn), so
    that load from elsewhere on the machine falls on all pages alike; after a warm-up."""
    times: dict[str, list[float]] = {label: [] for label in pages}
    for i in range(-WARMUP, count):
        for label, (_, client, paths) in pages.items():
            path = paths[i % len(paths)]
            start = time.perf_counter()
            response = client.get(path)
            if i >= 0:
                times[label].append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} 返回 {response.status_code}")
    return {label: percentiles(sorted(values)) for label, values in times.items()}


def percentiles(ordered: list[float]) -> dict:
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


def profile(client, path: str, label: str) -> None:
    """Where one request's time goes: its slowest queries (with their plans) and the heaviest functions."""
    from django.db import connection

    timed: list[tuple[float, str, tuple]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - start) * 1000, sql, params))

    with connection.execute_wrapper(timer):
        start = time.perf_counter()
        client.get(path)
        total = (time.perf_counter() - start) * 1000
    sql_ms = sum(ms for ms, _, _ in timed)
    print(f"\n--- profile: {label} {path}: {total:.1f} ms, {len(timed)} queries, SQL {sql_ms:.1f} ms")
    for rank, (ms, sql, params) in enumerate(sorted(timed, key=lambda q: -q[0])[:8]):
        print(f"  {ms:7.2f} ms  {sql[:300]}")
        if rank < 3 and ms >= 2 and sql.startswith("SELECT"):
            for line in query_plan(sql, params):
                print(f"{'':14}plan: {line}")
    profile_python(client, path)


def query_plan(sql: str, params) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN or PostgreSQL's EXPLAIN ANALYZE of one captured query."""
    from django.db import connection

    analyze = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(analyze + sql, params)
        return [str(row[-1]) for row in cursor.fetchall()][:14]


def profile_python(client, path: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(client.get, path)
    stats = pstats.Stats(profiler)
    shares: dict[str, float] = {}
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        kind = next((k for k, test in AREAS if test(filename, function)), "other (stdlib, decimal, …)")
        shares[kind] = shares.get(kind, 0.0) + own
    total_own = sum(shares.values())
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    print(
        "  own time by area (cProfile: inflated, but the shares hold): "
        + ", ".join(f"{kind} {share / total_own:.0%}" for kind, share in ranked)
    )
    stats.sort_stats("cumulative").print_stats(r"src/daiban/(?!.*middleware)", 25)


AREAS = (
    ("SQL driver", lambda f, fn: "psycopg" in f + fn or "sqlite3" in fn or "Cursor" in fn),
    ("ORM", lambda f, fn: "django/db/" in f),
    ("templates", lambda f, fn: "django/template" in f or "django/utils/html" in f or "safestring" in f),
    ("daiban code", lambda f, fn: "src/daiban" in f),
    ("rest of Django", lambda f, fn: "django/" in f),
)


def in_process(args) -> dict[str, dict]:
    anonymous = client_for(None)
    leader, dispatcher, butler = (client_for(name) for name in ("leader", "dispatcher", "butler"))
    pages = {
        "dashboard (leader)": ("dashboard", leader, ["/dashboard/"]),
        "dashboard (dispatcher)": ("dashboard", dispatcher, ["/dashboard/"]),
        "dashboard (after a case)": ("dashboard", ChangedClient(leader), ["/dashboard/"]),
        "dashboard (cold cache)": ("dashboard", ColdClient(leader), ["/dashboard/"]),
        "project (butler)": ("project", butler, project_paths("butler")),
        "project (dispatcher)": ("project", dispatcher, project_paths(None)),
        # The project page's cards of other apps, each loaded by htmx after the page itself.
        "issue card (butler)": ("card", butler, card_paths("butler", "issues")),
        "policy card (butler)": ("card", butler, card_paths("butler", "policies")),
        "baseline /login/": ("baseline", anonymous, ["/login/"]),
    }
    results = time_pages(pages, args.requests)
    for label, (kind, client, paths) in pages.items():
        results[label] |= {"kind": kind, "paths": len(paths), "queries": query_count(client, paths[0])}
    for label, (kind, client, paths) in pages.items():
        missed = kind in TARGETS_MS and results[label]["p95"] >= TARGETS_MS[kind]
        if args.profile or missed:
            profile(client, paths[0], label)
    return results


# ------------------------------------------------------------------------------------------ under gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(port: int, method: str, path: str, *, body: str | None = None, headers: dict | None = None):
    """One request on a fresh connection: (status, headers message, body text)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.msg, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def cookies(message) -> dict[str, str]:
    pairs = (header.split(";", 1)[0].split("=", 1) for header in message.get_all("Set-Cookie") or [])
    return {name.strip(): value for name, value in pairs}


def start_server(home: Path, port: int):
    """``daiban serve`` (the run command: gunicorn, 2 sync workers); returns the process once it answers."""
    log = open(home / "serve.log", "w")  # noqa: SIM115 — closed with the server
    server = subprocess.Popen(
        [str(BIN / "daiban"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"gunicorn 退出（{server.returncode}）：{(home / 'serve.log').read_text()[-2000:]}"
            )
        try:
            if http(port, "GET", "/login/")[0] == 200:
                return server, log
        except OSError:
            time.sleep(0.5)
    stop_server(server, log)
    raise SystemExit("gunicorn 120 秒内未就绪")


def stop_server(server, log) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


def sign_in(port: int, username: str) -> str:
    """Sign in through /login/ with its CSRF token, as a browser does; returns the session cookie."""
    import re
    from urllib.parse import urlencode

    from daiban.demo.district import DEMO_PASSWORD

    status, message, body = http(port, "GET", "/login/")
    csrf = cookies(message)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urlencode({"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
    status, message, _ = http(port, "POST", "/login/", body=form, headers=headers)
    session = cookies(message).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"{username} 通过 /login/ 登录失败（{status}）")
    return f"sessionid={session}"


WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  local shape = '{"requests": %%d, "us": %%d, "errors": %%d, "p50": %%d, "p95": %%d, "max": %%d}'
  io.write("WRKJSON " .. string.format(shape,
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency.max) .. "\\n")
end
"""


def wrk(port: int, paths: list[str], cookie: str | None, duration: int, args, home: Path) -> dict:
    script = home / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    command = [
        "wrk",
        "-t1",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=duration + 60
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRKJSON"))
    data = json.loads(line.removeprefix("WRKJSON"))
    return {
        "rps": data["requests"] / (data["us"] / 1e6),
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "max": data["max"] / 1000,
        "errors": data["errors"],
        "requests": data["requests"],
    }


def thread_pool(port: int, paths: list[str], cookie: str | None, duration: int, args, home: Path) -> dict:
    """Fallback load generator: ``--connections`` threads, a fresh connection per request (gunicorn's sync
    workers close it anyway), stopping by themselves after ``duration`` seconds."""
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    deadline = started + duration

    def worker(offset: int) -> tuple[list[float], int]:
        times, errors, i = [], 0, offset
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                status = http(port, "GET", paths[i % len(paths)], headers=headers)[0]
            except OSError:
                status = 0
            times.append((time.perf_counter() - start) * 1000)
            errors += status >= 400 or status == 0
            i += 1
        return times, errors

    with ThreadPoolExecutor(args.connections) as pool:
        results = list(pool.map(worker, range(args.connections)))
    elapsed = time.perf_counter() - started
    times = sorted(t for chunk, _ in results for t in chunk)
    return {
        "rps": len(times) / elapsed,
        **percentiles(times),
        "errors": sum(e for _, e in results),
        "requests": len(times),
    }


def under_gunicorn(args, home: Path) -> dict[str, dict]:
    from django.templatetags.static import static

    drive = wrk if shutil.which("wrk") else thread_pool
    port = free_port()
    server, log = start_server(home, port)
    try:
        cookie = sign_in(port, "butler")
        paths = project_paths("butler")
        status, _, body = http(port, "GET", paths[0], headers={"Cookie": cookie})
        if status != 200 or "甘特" not in body:
            raise SystemExit(f"项目页 {paths[0]} 经 gunicorn 返回 {status}，不是项目页")
        runs = {
            "project (butler)": (paths, cookie),
            "baseline /login/": (["/login/"], None),
            "baseline static": ([static("web/daiban.css")], None),
        }
        results = {}
        for label, (run_paths, run_cookie) in runs.items():
            drive(port, run_paths, run_cookie, 2, args, home)  # warm-up: both workers, every path
            results[label] = drive(port, run_paths, run_cookie, args.duration, args, home)
            print(f"  {label:<20} {results[label]['rps']:7.1f} req/s", file=sys.stderr)
        if http(port, "GET", paths[0], headers={"Cookie": cookie})[0] != 200:
            raise SystemExit("负载测试后会话失效：项目页的数字不可信")
        return {"generator": drive.__name__, "runs": results}
    finally:
        stop_server(server, log)


# ------------------------------------------------------------------------------------------ report and main


def report(result: dict) -> None:
    loaded = result["load"]
    took = "reused (--keep)" if loaded["seconds"] is None else f"demo loaded in {loaded['seconds']:.1f} s"
    print(f"\n== {result['db']}: {loaded['projects']:,} projects, {loaded['cases']:,} cases; {took}")
    print(f"statistics: {loaded['notes']}")
    print(
        f"in-process server time (django.test.Client; {result['requests']} requests each "
        f"interleaved, after {WARMUP} warm-up)"
    )
    print(
        f"{'page':<24}{'paths':>6}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'× /login/':>11}{'target p95':>12}  result"
    )
    base = result["pages"]["baseline /login/"]["p50"]
    for label, row in result["pages"].items():
        target = TARGETS_MS.get(row["kind"])
        verdict = "" if target is None else ("PASS" if row["p95"] < target else "MISS")
        print(
            f"{label:<24}{row['paths']:>6}{row['queries']:>8}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['max']:>9.1f}"
            f"{row['p50'] / base:>10.1f}×{'' if target is None else f'< {target:.0f} ms':>12}  {verdict}"
        )
    served = result["served"]
    print(
        f"under gunicorn (daiban serve, 2 sync workers; {served['generator']}, {result['connections']} "
        f"connections, {result['duration']} s each, loopback)"
    )
    print(f"{'run':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}{'× /login/':>11}")
    base = served["runs"]["baseline /login/"]["rps"]
    for label, row in served["runs"].items():
        print(
            f"{label:<24}{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['max']:>9.1f}"
            f"{row['errors']:>8}{row['rps'] / base:>10.2f}×"
        )


def run_one(args) -> dict:
    home = environment(args.db, args.keep, args.pg_options)
    try:
        print(f"[{args.db}] loading the demo at scale {args.scale} …", file=sys.stderr)
        loaded = load(args.scale, reuse=args.keep)
        print(f"[{args.db}] in-process server time …", file=sys.stderr)
        pages = in_process(args)
        print(f"[{args.db}] gunicorn …", file=sys.stderr)
        served = under_gunicorn(args, home)
    finally:
        cleanup(args.db, home, args.keep)
    name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[args.db]
    return {
        "db": name,
        "load": loaded,
        "pages": pages,
        "served": served,
        "requests": args.requests,
        "connections": args.connections,
        "duration": args.duration,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="projects in the demo (default 10000)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page in-process")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load-generator run")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections of the load")
    parser.add_argument("--keep", action="store_true", help="keep the loaded databases and reuse them")
    parser.add_argument("--profile", action="store_true", help="profile every page, not only a missed one")
    parser.add_argument("--pg-options", help='PostgreSQL session settings via PGOPTIONS, e.g. "-c jit=off"')
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.db != "both":
        result = run_one(args)
        if args.result_file:
            Path(args.result_file).write_text(json.dumps(result))
        report(result)
        return 0
    # Note: Django's settings are fixed at start-up, so each database runs in its own process.
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for db in ("sqlite", "postgres"):
            out = Path(scratch) / f"{db}.json"
            argv = [
                f"--{name}={getattr(args, name)}" for name in ("scale", "requests", "duration", "connections")
            ]
            argv += [f"--{flag}" for flag in ("keep", "profile") if getattr(args, flag)]
            argv += [f"--pg-options={args.pg_options}"] if args.pg_options else []
            subprocess.run(
                [sys.executable, __file__, *argv, "--db", db, "--result-file", str(out)], check=True
            )
            results.append(json.loads(out.read_text()))
    print("\n\n######## summary")
    for result in results:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
