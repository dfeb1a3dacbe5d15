"""Excel exports: the template, the 项目清单 (round trip through the import), the monthly investment report,
the overdue cases list, scoping by the acting user, and the `daiban export` command."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
import python_calamine
import xlsxwriter

from daiban.approvals.models import ApprovalCase
from daiban.audit.models import AuditEntry
from daiban.cli import main as cli_main
from daiban.investment.models import MonthlyInvestment
from daiban.investment.selectors import investment_by_department, investment_by_project
from daiban.projects.excel.columns import PROJECT_COLUMNS
from daiban.projects.excel.exporting import projects_export
from daiban.projects.excel.importing import project_list_import
from daiban.projects.excel.reading import ImportFileError
from daiban.projects.excel.reports import investment_export, overdue_export
from daiban.projects.excel.template import template_write
from daiban.projects.models import Project

HEADERS = [column.header for column in PROJECT_COLUMNS]


def sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def xml(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member).decode()


def export_bytes(write, **kwargs) -> bytes:
    stream = io.BytesIO()
    write(stream=stream, **kwargs)
    return stream.getvalue()


# ---------------------------------------------------------------- template


def test_template_has_headers_an_example_drop_downs_frozen_header_widths_and_help():
    stream = io.BytesIO()
    template_write(stream, butlers=["张三"], departments=["区发展和改革委员会"])
    data = stream.getvalue()
    book = sheets(data)
    assert list(book) == ["项目清单", "说明", "选项"]
    assert book["项目清单"][0] == HEADERS
    assert book["项目清单"][1][0] == "示例"
    assert any("全部或全不" in str(row[0]) for row in book["说明"])
    sheet = xml(data, "xl/worksheets/sheet1.xml")
    assert 'ySplit="1"' in sheet and 'state="frozen"' in sheet
    assert re.search(r'<col min="2" max="2" width="36\.\d+"', sheet)  # 项目名称 is wide
    validations = re.findall(r'<dataValidation [^>]*type="list"[^>]*>.*?</dataValidation>', sheet)
    assert len(validations) >= 10  # category, types, yes/no columns, butler, department …
    lists = book["选项"]
    category_column = lists[0].index("category")
    assert [row[category_column] for row in lists[1:5]] == ["新开工", "续建", "竣工投产", "储备"]
    assert "张三" in [row[lists[0].index("user")] for row in lists[1:]]


def test_the_template_imports_as_no_data_and_its_example_row_imports_once_unmarked(
    admin_user, butler, department_factory, tmp_path
):
    department_factory(name="区发展改革委")
    path = tmp_path / "template.xlsx"
    template_write(str(path))
    with pytest.raises(ImportFileError, match="没有项目数据"):
        project_list_import(actor=admin_user, file=path)
    header, example = sheets(path.read_bytes())["项目清单"][:2]
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    sheet.write_row(1, 0, ["1", *example[1:]])
    book.close()
    report = project_list_import(actor=admin_user, file=stream.getvalue())
    assert report.ok and report.created == 1, report.summary()
    project = Project.objects.get()
    assert (project.total_investment, project.butler, project.land_supply_mode) == (
        Decimal("85000.00"), butler, "land_with_scheme")  # fmt: skip
    # Its handbook facts are complete, so the import ran project_create's hook: the approval cases exist.
    assert project.cases.exists()


# ---------------------------------------------------------------- 项目清单


@pytest.fixture
def portfolio(project, other_project, project_factory, enterprise):
    """Projects with every kind of value the export writes (codes, dates, notes with line breaks, none)."""
    project.project_code = "2026-110115-36-03-000123"
    project.planned_start_on = dt.date(2026, 3, 5)
    project.notes = "第一行\n第二行：用地已摘牌"
    project.statistics_registered = True
    project.save()
    project_factory(name="无企业的政府投资项目", enterprise=None, investment_type="government",
                    building_area_m2=None, annual_plan=Decimal("0.50"), category="reserve")  # fmt: skip
    project_factory(
        name="第二个同企业项目", enterprise=enterprise, low_risk=True, total_investment=Decimal("1.01")
    )
    return Project.objects.all()


def test_export_then_import_changes_nothing(admin_user, portfolio):
    data = export_bytes(projects_export, actor=admin_user)
    audit_count = AuditEntry.objects.count()
    report = project_list_import(actor=admin_user, file=data)
    assert report.ok, report.summary()
    assert (report.created, report.updated, report.unchanged) == (0, 0, portfolio.count())
    assert AuditEntry.objects.count() == audit_count


def test_export_has_the_template_columns_real_numbers_and_dates(admin_user, portfolio):
    data = export_bytes(projects_export, actor=admin_user)
    rows = sheets(data)["项目清单"]
    assert rows[0] == HEADERS
    row = next(row for row in rows if row[1] == "京南生物医药产业化基地")
    assert row[HEADERS.index("计划开工日期")] == dt.date(2026, 3, 5)
    assert row[HEADERS.index("总投资（万元）")] == 50000.0
    assert row[HEADERS.index("项目管家")] == "张三"
    assert row[HEADERS.index("责任单位")] == "区发展和改革委员会"
    assert row[HEADERS.index("项目类别")] == "新开工" and row[HEADERS.index("已纳统")] == "是"
    assert row[HEADERS.index("备注")] == "第一行\n第二行：用地已摘牌"
    assert 'formatCode="#,##0.00"' in xml(data, "xl/styles.xml")
    assert 'ySplit="1"' in xml(data, "xl/worksheets/sheet1.xml")


def test_a_butler_exports_only_their_projects(butler, portfolio, other_project):
    names = [row[1] for row in sheets(export_bytes(projects_export, actor=butler))["项目清单"][1:]]
    assert names == ["京南生物医药产业化基地"]
    # A queryset narrows the scope but never widens it.
    widened = export_bytes(projects_export, actor=butler, queryset_or_filters=Project.objects.all())
    assert len(sheets(widened)["项目清单"]) == 2


def test_export_filters(admin_user, portfolio):
    data = export_bytes(projects_export, actor=admin_user, queryset_or_filters={"category": "reserve"})
    assert [row[1] for row in sheets(data)["项目清单"][1:]] == ["无企业的政府投资项目"]


# ---------------------------------------------------------------- investment report


@pytest.fixture
def reported(project, other_project):
    for month, amount in ((1, "1000"), (2, "2000.5"), (3, "3000")):
        MonthlyInvestment.objects.create(project=project, year=2026, month=month, amount=Decimal(amount),
                                         funds_in_place=Decimal("500"))  # fmt: skip
    MonthlyInvestment.objects.create(project=other_project, year=2026, month=3, amount=Decimal("600"))


def test_investment_report_has_the_selectors_figures(admin_user, reported, project):
    data = export_bytes(investment_export, actor=admin_user, year=2026, month=3)
    book = sheets(data)
    assert list(book) == ["汇总", "分项目", "分部门", "月度走势"]
    by_project = {row[1]: row for row in book["分项目"][2:]}
    row = by_project[project.name]
    expected = next(item for item in investment_by_project(user=admin_user, year=2026, month=3)
                    if item.key == project.pk)  # fmt: skip
    assert row[3] == "新开工" and row[5] == "张三"
    assert row[6:10] == [12000.0, 3000.0, 6000.5, 1500.0]
    assert row[10] == pytest.approx(float(expected.completion))
    assert row[11] == pytest.approx(0.25) and row[13] == "正常"
    departments = {row[0]: row for row in book["分部门"][2:]}
    for item in investment_by_department(user=admin_user, year=2026, month=3):
        assert departments[item.label][4] == pytest.approx(float(item.completed))
    summary = {row[0]: row[1] for row in book["汇总"][2:]}
    assert summary["1–3月完成投资（万元）"] == 6600.5
    assert summary["序时进度"] == pytest.approx(0.25)
    assert {"开工率", "投资完成率", "资金到位率", "按期竣工率"} <= set(summary)


def test_investment_report_is_scoped(butler, reported, project):
    book = sheets(export_bytes(investment_export, actor=butler, year=2026, month=3))
    assert [row[1] for row in book["分项目"][2:]] == [project.name]


# ---------------------------------------------------------------- overdue cases


@pytest.fixture
def overdue(project, other_project, department):
    def case(on, code, **fields):
        fields |= {
            "item_code": code,
            "name": f"事项{code}",
            "stage": "works_permit",
            "department": department,
        }
        return ApprovalCase.objects.create(project=on, **fields)

    case(project, "a", sla_state="overdue", accepted_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 30),
         overdue_days=5)  # fmt: skip
    case(project, "b", sla_state="normal", accepted_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 12, 30))
    case(other_project, "c", sla_state="overdue", due_on=dt.date(2026, 2, 1), overdue_days=20)


def test_overdue_list_most_overdue_first_with_dates(admin_user, overdue):
    rows = sheets(export_bytes(overdue_export, actor=admin_user))["逾期办件"]
    assert rows[0] == [
        "序号",
        "项目名称",
        "项目代码",
        "项目管家",
        "审批事项",
        "审批部门",
        "受理日期",
        "到期日",
        "逾期天数",
    ]
    assert [row[4] for row in rows[1:]] == ["事项c", "事项a"]
    assert rows[2][6:] == [dt.date(2026, 3, 2), dt.date(2026, 3, 30), 5.0]
    assert rows[2][5] == "区规划和自然资源分局" and rows[2][3] == "张三"


def test_overdue_list_is_scoped(butler, overdue):
    rows = sheets(export_bytes(overdue_export, actor=butler))["逾期办件"]
    assert [row[4] for row in rows[1:]] == ["事项a"]


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("kind", ["projects", "investment", "overdue", "template"])
def test_cli_export_every_kind(db, portfolio, butler, tmp_path, capsys, kind):
    path = tmp_path / f"{kind}.xlsx"
    assert cli_main(["export", kind, str(path), "--year", "2026", "--month", "3"]) == 0
    assert capsys.readouterr().out.startswith("已导出")
    assert path.read_bytes().startswith(b"PK")


def test_cli_export_gives_the_file_the_users_usual_permissions(db, portfolio, tmp_path):
    """Written through a temporary file and renamed, yet readable like any file the user creates."""
    import os
    import stat

    path, umask = tmp_path / "share.xlsx", os.umask(0o022)
    try:
        assert cli_main(["export", "template", str(path)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_cli_export_projects_as_a_butler_then_import_it(db, portfolio, butler, tmp_path, capsys):
    path = tmp_path / "mine.xlsx"
    assert cli_main(["export", "projects", str(path), "--user", "butler"]) == 0
    assert "（1 个项目）" in capsys.readouterr().out
    assert cli_main(["import", str(path), "--user", "butler"]) == 0
    assert "新建 0 个，更新 0 个，未变 1 个" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "projects", "out.csv"], "输出文件应以 .xlsx 结尾"),
        (["export", "projects", "out.xlsx", "--user", "nobody"], "找不到用户：nobody"),
        (["export", "investment", "out.xlsx", "--month", "13"], "月份应为 1–12"),
        (["export", "projects", "out.xlsx", "--category", "已完工"], "“已完工”不是允许的值"),
    ],
)
def test_cli_export_errors_are_one_line(db, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert cli_main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "out.xlsx").exists()


def test_policy_facts_are_exported_and_round_trip_unchanged(admin_user, portfolio, project):
    project.equipment_investment, project.area = Decimal("1500.50"), "生物医药园"
    project.save()
    project.enterprise.high_tech = True
    project.enterprise.save()
    data = export_bytes(projects_export, actor=admin_user)
    rows = sheets(data)["项目清单"]
    row = next(row for row in rows if row[1] == "京南生物医药产业化基地")
    assert row[HEADERS.index("设备投资（万元）")] == 1500.5
    assert row[HEADERS.index("所在片区")] == "生物医药园"
    assert row[HEADERS.index("高新技术企业")] == "是"
    others = {row[1]: row for row in rows[1:]}
    assert others["亦庄机器人整机制造项目"][HEADERS.index("高新技术企业")] == "否"
    assert others["无企业的政府投资项目"][HEADERS.index("高新技术企业")] == ""  # no enterprise, no fact
    assert others["亦庄机器人整机制造项目"][HEADERS.index("设备投资（万元）")] == ""

    audit_count = AuditEntry.objects.count()
    report = project_list_import(actor=admin_user, file=data)
    assert report.ok, report.summary()
    assert (report.created, report.updated, report.unchanged) == (0, 0, portfolio.count())
    assert AuditEntry.objects.count() == audit_count


def test_template_offers_the_policy_fact_columns_with_yes_no_drop_down():
    stream = io.BytesIO()
    template_write(stream, butlers=[], departments=[])
    book = sheets(stream.getvalue())
    header = book["项目清单"][0]
    assert {"设备投资（万元）", "所在片区", "高新技术企业"} <= set(header)
    options = book["选项"]
    column = options[0].index("enterprise_high_tech")
    assert [row[column] for row in options[1:3]] == ["是", "否"]
