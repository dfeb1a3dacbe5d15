"""Excel speed: import and export of a 10,000-row 项目清单 on SQLite (a fresh temporary DAIBAN_HOME).

Measured in one run, each against a baseline measured in the same run:

- import (bulk path: few queries, bulk inserts, one audit entry per row) vs the naive path — one
  ``enterprise_get_or_create`` + ``project_create`` service call per row, timed on ``--baseline-rows`` rows
  and scaled to the full count (the ratio compares seconds per row);
- re-import of the same file (everything unchanged, nothing written) and a dry run;
- export (``values_list`` + typed writes) vs the straightforward way — model instances with
  ``select_related`` and XlsxWriter's generic ``write()`` for every cell.

The rows' handbook facts are left incomplete (no 环评类别), so no approval cases are generated: that is the
approvals' cost, not the spreadsheet's; ``--with-cases N`` times the import of N complete rows to show it.

    .venv/bin/python benchmarks/excel_bench.py [--rows 10000] [--baseline-rows 1000] [--with-cases 0]

Targets: import < 3 s, export < 2 s for 10,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal


def setup_django(home: str) -> None:
    os.environ["DAIBAN_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daiban.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def seed_people(butlers: int = 20, departments: int = 15):
    from daiban.accounts.models import Department, User

    User.objects.bulk_create(
        User(username=f"butler{i}", full_name=f"管家{i:02d}", role="butler") for i in range(butlers)
    )
    Department.objects.bulk_create(
        Department(name=f"区第{i}局", short_name=f"{i}局") for i in range(departments)
    )
    return User.objects.create(username="bench", full_name="基准", role="admin")


def workbook(rows: int, *, offset: int = 0, complete: bool = False, seed: int = 11) -> bytes:
    """A 项目清单 like a district's: 1 enterprise per 5 projects, 60% with a code, text and numbers mixed."""
    import xlsxwriter

    from daiban.core.ids import uscc_with_check
    from daiban.projects.excel.columns import PROJECT_COLUMNS

    rng = random.Random(seed)
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = book.add_worksheet("项目清单")
    sheet.write_row(0, 0, [column.header for column in PROJECT_COLUMNS])
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    categories, lands = ("新开工", "续建", "竣工投产", "储备"), ("带方案出让", "标准厂房", "先租后让", "")
    for row, index in enumerate(range(offset, offset + rows), start=1):
        company = index // 5
        values = {
            "序号": index + 1,
            "项目名称": f"重大项目{index:05d}号",
            "项目代码": f"2026-110115-36-03-{index:05d}{index % 10}" if index % 5 < 3 else "",
            "项目单位": f"企业{company:05d}有限公司",
            "统一社会信用代码": uscc_with_check(f"91110115MA{company:07d}"),
            "项目类别": rng.choice(categories),
            "产业领域": "生物医药",
            "建设地点": "某某开发区",
            "清单年度": 2026,
            "总投资（万元）": round(rng.uniform(1000, 900000), 2),
            "年度计划投资（万元）": round(rng.uniform(0, 50000), 2),
            "投资类型": "社会投资",
            "立项方式": "备案",
            "项目类型": "工业",
            "供地方式": rng.choice(lands),
            "低风险项目": "否",
            "已完成区域评估": "是",
            "环评类别": "报告表" if complete else "",
            "需节能审查": "是",
            "需建设人防工程": "否",
            "特殊建设工程（消防）": "否",
            "建筑面积（平方米）": 12000 if complete else "",
            "项目管家": f"管家{index % 20:02d}",
            "责任单位": f"区第{index % 15}局",
            "已纳统": rng.choice("是否"),
            "备注": "按计划推进" if index % 3 else "",
        }
        for column, spec in enumerate(PROJECT_COLUMNS):
            if values.get(spec.header, "") != "":
                sheet.write(row, column, values[spec.header])
        start = dt.date(2026, 1, 1) + dt.timedelta(days=index % 365)
        sheet.write_datetime(row, len(PROJECT_COLUMNS) - 3, start, date_format)
    book.close()
    return stream.getvalue()


@dataclass(frozen=True)
class Took:
    """Wall-clock and CPU seconds (the machine is shared: CPU time shows the work when others load it)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s (cpu {self.cpu:5.2f} s)"


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return Took(time.perf_counter() - wall, time.process_time() - cpu), result


def best(first: Took, second: Took | None) -> Took:
    return first if second is None or first.wall <= second.wall else second


def naive_import(actor, data: bytes) -> int:
    """The straightforward path: parse like the import does, then one service call per row."""
    from daiban.accounts.models import Department, User
    from daiban.projects import services
    from daiban.projects.excel.reading import RowParser, read_sheet
    from daiban.projects.excel.report import ImportReport

    sheet = read_sheet(data)
    report, parser = ImportReport(), RowParser(sheet.header)
    count = 0
    for number, cells in sheet.rows:
        values = parser.parse(number, cells, report).values
        enterprise, _ = services.enterprise_get_or_create(
            actor=actor, uscc=values.pop("enterprise_uscc"), name=values.pop("enterprise_name")
        )
        values["butler"] = User.objects.get(full_name=values["butler"])
        values["responsible_department"] = Department.objects.get(name=values["responsible_department"])
        fields = {key: value for key, value in values.items() if value is not None}
        services.project_create(actor=actor, enterprise=enterprise, **fields)
        count += 1
    return count


def naive_export(actor) -> bytes:
    """Model instances and the generic ``write()`` per cell, as one would write it first."""
    import xlsxwriter

    from daiban.projects.excel.columns import PROJECT_COLUMNS
    from daiban.projects.models import Project

    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = book.add_worksheet("项目清单")
    sheet.write_row(0, 0, [column.header for column in PROJECT_COLUMNS])
    money, date_format = (
        book.add_format({"num_format": "#,##0.00"}),
        book.add_format({"num_format": "yyyy-mm-dd"}),
    )
    projects = Project.objects.for_user(actor).select_related(
        "enterprise", "butler", "responsible_department"
    )
    for row, project in enumerate(projects.order_by("year", "name", "pk"), start=1):
        for column, value in enumerate(_naive_values(row, project)):
            if isinstance(value, Decimal):
                sheet.write(row, column, float(value), money)
            elif isinstance(value, dt.date):
                sheet.write(row, column, value, date_format)
            else:
                sheet.write(row, column, value)
    book.close()
    return stream.getvalue()


def _naive_values(row: int, p) -> list:
    def yes(flag: bool) -> str:
        return "是" if flag else "否"

    enterprise = p.enterprise
    return [
        row, p.name, p.project_code, enterprise.name if enterprise else "",
        enterprise.uscc if enterprise else "",
        p.get_category_display(), p.industry, p.location, p.year, p.total_investment, p.annual_plan,
        p.get_investment_type_display(), p.get_approval_mode_display(), p.get_project_type_display(),
        p.get_land_supply_mode_display(), yes(p.low_risk), yes(p.regional_assessment_done),
        p.get_eia_category_display(), yes(p.needs_energy_review), yes(p.needs_civil_air_defense),
        yes(p.special_fire_project), p.building_area_m2, p.butler.full_name if p.butler else "",
        p.responsible_department.name if p.responsible_department else "", p.planned_start_on,
        yes(p.statistics_registered), p.notes,
    ]  # fmt: skip


def reset_projects() -> None:
    from daiban.audit.models import AuditEntry
    from daiban.projects.models import Enterprise, Project

    AuditEntry.objects.all().delete()
    Project.all_objects.all().delete()
    Enterprise.all_objects.all().delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--baseline-rows", type=int, default=1000)
    parser.add_argument("--with-cases", type=int, default=0, metavar="N")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of the fast paths")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="daiban-excel-bench-") as home:
        setup_django(home)
        return run(args)


def run(args: argparse.Namespace) -> int:
    from daiban.projects.excel.columns import PROJECT_COLUMNS
    from daiban.projects.excel.importing import project_list_import

    actor = seed_people()
    data = workbook(args.rows)
    print(f"{args.rows} rows × {len(PROJECT_COLUMNS)} columns, {len(data) / 1048576:.2f} MB, SQLite")
    fast = None
    for _ in range(args.repeat):
        reset_projects()
        fast = {
            key: best(value, (fast or {}).get(key)) for key, value in measure(actor, data, args.rows).items()
        }
    baseline = measure_naive(actor, args)
    rows = args.rows
    naive_import_all = Took(
        *(seconds / baseline["count"] * rows for seconds in vars(baseline["import"]).values())
    )
    print(f"import      {fast['import']}   target < 3 s")
    print(f"  naive     {naive_import_all}   per-row services, measured on {baseline['count']} rows and "
          f"scaled   ratio {naive_import_all.wall / fast['import'].wall:.1f}×")  # fmt: skip
    print(f"  dry run   {fast['dry']}")
    print(f"  re-import {fast['again']}   all {rows} unchanged, nothing written")
    print(f"export      {fast['export']}   target < 2 s")
    print(f"  naive     {baseline['export']}   model instances + write() per cell   "
          f"ratio {baseline['export'].wall / fast['export'].wall:.1f}×")  # fmt: skip
    if args.with_cases:
        reset_projects()
        took, report = timed(
            lambda: project_list_import(actor=actor, file=workbook(args.with_cases, complete=True))
        )
        assert report.ok, report.summary()
        print(f"import of {args.with_cases} rows with complete facts (approval cases generated): {took}, "
              f"{took.wall / args.with_cases * 1000:.1f} ms per project")  # fmt: skip
    return 0


def measure(actor, data: bytes, rows: int) -> dict[str, Took]:
    """Dry run, import, re-import and export on an empty list; checks the counts and the round trip."""
    from daiban.projects.excel.exporting import projects_export
    from daiban.projects.excel.importing import project_list_import

    dry, report = timed(lambda: project_list_import(actor=actor, file=data, dry_run=True))
    assert report.ok and report.created == rows, report.summary()
    first, report = timed(lambda: project_list_import(actor=actor, file=data))
    assert report.ok and report.created == rows, report.summary()
    again, report = timed(lambda: project_list_import(actor=actor, file=data))
    assert (report.created, report.updated, report.unchanged) == (0, 0, rows), report.summary()
    stream = io.BytesIO()
    export, written = timed(lambda: projects_export(actor=actor, stream=stream))
    assert written == rows
    check = project_list_import(actor=actor, file=stream.getvalue(), dry_run=True)
    assert check.unchanged == rows, check.summary()  # the export imports back unchanged
    return {"dry": dry, "import": first, "again": again, "export": export}


def measure_naive(actor, args: argparse.Namespace) -> dict:
    """The baselines: naive export of the full list (still in the database), naive import of a sample."""
    export, _ = timed(lambda: naive_export(actor))
    reset_projects()
    took, count = timed(lambda: naive_import(actor, workbook(args.baseline_rows, seed=3)))
    return {"export": export, "import": took, "count": count}


if __name__ == "__main__":
    sys.exit(main())
