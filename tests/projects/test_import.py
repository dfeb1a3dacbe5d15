"""Importing the 项目清单 workbook: cell reading, header finding, every problem class, all-or-nothing,
dry run, idempotence, file-level errors and the `daiban import` command."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from daiban.accounts.permissions import NotPermitted
from daiban.audit.models import AuditEntry
from daiban.cli import main as cli_main
from daiban.core.ids import uscc_with_check
from daiban.projects.excel import cells
from daiban.projects.excel.cells import CellError
from daiban.projects.excel.columns import COLUMNS_BY_KEY, find_header, match_header
from daiban.projects.excel.importing import project_list_import
from daiban.projects.excel.reading import ImportFileError
from daiban.projects.excel.report import ImportProblem, ImportReport
from daiban.projects.models import Enterprise, Project

# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 0, 0),
        46086,
        46086.0,
        "46086",
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        "２０２６年３月５日",
        " 2026 年 3 月 5 日 ",
        "20260305",
        "2026-03-05 00:00:00",
    ],
)
def test_dates_in_every_form_people_type_them(value):
    assert cells.parse_date(value) == dt.date(2026, 3, 5)


@pytest.mark.parametrize("value", ["2026年2月30日", "明年三月", "2026-13-01", "3/5", 5.0, True, "1800-01-01"])
def test_bad_dates_say_why(value):
    with pytest.raises(CellError) as error:
        cells.parse_date(value)
    assert "日期" in str(error.value)


def test_empty_cells_are_none():
    for parse in (
        cells.parse_date,
        cells.parse_decimal,
        cells.parse_bool,
        cells.parse_text,
        cells.parse_year,
    ):
        assert parse("") is None
        assert parse("　 ") is None


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_excel_serial_and_iso_text_agree(date):
    serial = (date - dt.date(1899, 12, 30)).days
    assert cells.parse_date(serial) == cells.parse_date(date.isoformat()) == date


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (12.5, Decimal(10000), "125000.00"),
        ("１２．５", Decimal(10000), "125000.00"),
        ("1,234.5", Decimal(1), "1234.50"),
        ("１２,０００", Decimal(1), "12000.00"),
        (" 3000 万元", Decimal(1), "3000.00"),
        (0.1, Decimal(10000), "1000.00"),
        (8000.5, Decimal(1), "8000.50"),
        (3, Decimal(1), "3.00"),
    ],
)
def test_amounts_as_numbers_or_text_in_the_headers_unit(value, scale, expected):
    assert cells.parse_decimal(value, scale=scale) == Decimal(expected)


@pytest.mark.parametrize("value", ["约3亿", "-5", "abc", True, "1.2.3"])
def test_bad_amounts(value):
    with pytest.raises(CellError):
        cells.parse_decimal(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("√", True),
        ("Y", True),
        ("y", True),
        ("否", False),
        ("N", False),
        ("×", False),
        (True, True),
        ("", None),
    ],
)
def test_yes_no(value, expected):
    assert cells.parse_bool(value) == expected


def test_yes_no_rejects_other_words():
    with pytest.raises(CellError, match="应填“是”或“否”"):
        cells.parse_bool("也许")


def test_choices_by_label_code_or_alias_and_unknown_lists_allowed():
    choices = [("new_start", "新开工"), ("continuing", "续建")]
    assert cells.parse_choice("新开工", choices) == "new_start"
    assert cells.parse_choice("continuing", choices) == "continuing"
    assert cells.parse_choice("在建", choices, {"在建": "continuing"}) == "continuing"
    with pytest.raises(CellError) as error:
        cells.parse_choice("已完工", choices)
    assert str(error.value) == "“已完工”不是允许的值（可选：新开工、续建）"


def test_text_is_nfkc_folded_and_spaces_collapsed():
    assert cells.parse_text("　创新药\u3000研发  平台 ") == "创新药 研发 平台"
    assert cells.clean_text(123.0) == "123"
    with pytest.raises(CellError, match="过长"):
        cells.parse_text("长" * 5, max_length=4)


def test_years():
    assert cells.parse_year(2026.0) == 2026
    assert cells.parse_year("２０２６年") == 2026
    with pytest.raises(CellError):
        cells.parse_year("26")


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [
        ("项目名称", "name", None),
        ("＊项目\n名称", "name", None),
        ("建设单位", "enterprise_name", None),
        ("企业名称", "enterprise_name", None),
        ("总投资（亿元）", "total_investment", "亿元"),
        ("总投资(万元)", "total_investment", "万元"),
        ("计划总投资 （亿元）", "total_investment", "亿元"),
        ("2026年计划投资\n（万元）", "annual_plan", "万元"),
        ("建设性质", "category", None),
        ("备案代码", "project_code", None),
        ("是否纳统", "statistics_registered", None),
    ],
)
def test_header_synonyms_and_units(header, key, unit):
    column = match_header(header)
    assert column is not None and column.key == key
    assert cells.header_key(header)[1] == unit


def test_unknown_headers_are_ignored():
    assert match_header("联系人") is None
    assert match_header("进展情况") is None


def test_header_row_is_found_below_title_rows_and_amount_units_are_read():
    rows = [
        ["某某区2026年重大项目清单", "", "", ""],
        ["", "", "", "单位：万元"],
        ["序号", "项目名称", "总投资（亿元）", "建设单位"],
        [1, "甲", 1.5, "某公司"],
    ]
    header = find_header(rows)
    assert header.row == 2
    assert header.positions == {"row_number": 0, "name": 1, "total_investment": 2, "enterprise_name": 3}
    assert header.titles["total_investment"] == "总投资（亿元）"
    assert header.scales["total_investment"] == Decimal(10000)


def test_no_header_row():
    assert find_header([["a", "b"], ["项目名称"]]) is None


def test_every_required_column_has_a_template_header_that_maps_to_itself():
    for key, column in COLUMNS_BY_KEY.items():
        assert match_header(column.header).key == key
        for synonym in column.synonyms:
            assert match_header(synonym).key == key, synonym


# ---------------------------------------------------------------- report


def test_problem_text_names_row_and_column_as_the_file_does():
    assert (
        str(ImportProblem(12, "统一社会信用代码", "校验位错误")) == "第 12 行 ‘统一社会信用代码’ 校验位错误"
    )
    assert str(ImportProblem(None, None, "文件是空的")) == "文件是空的"


def test_report_summary():
    report = ImportReport(created=3, updated=1, unchanged=2)
    assert report.ok and report.summary() == "导入成功：新建 3 个，更新 1 个，未变 2 个"
    assert ImportReport(created=3, dry_run=True).summary().startswith("试导入通过（未写入）：将新建 3 个")
    report.add(5, "项目类别", "不能为空")
    assert not report.ok
    assert report.summary().splitlines() == [
        "导入失败：发现 1 个问题，未写入任何数据",
        "第 5 行 ‘项目类别’ 不能为空",
    ]


# ---------------------------------------------------------------- the database part


def _load_messy():
    path = Path(__file__).parents[1] / "fixtures" / "make_messy.py"
    spec = importlib.util.spec_from_file_location("make_messy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


messy = _load_messy()


@pytest.fixture
def district(db, user_factory, department_factory):
    """The butler and department the messy workbook names, and an admin who imports it."""
    user_factory(username="wang", full_name=messy.BUTLER, role="butler")
    department_factory(name=messy.DEPARTMENT, short_name="发改委")
    return user_factory(username="importer", full_name="导入员", role="admin")


def build(tmp_path, name="list.xlsx", **options) -> tuple[Path, dict]:
    path = tmp_path / name
    return path, messy.build(str(path), **options)


def workbook(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """A plain one-sheet workbook (header in row 1) as bytes."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = book.add_worksheet("项目")
    for index, values in enumerate([header or ["项目名称", "项目类别", "总投资（万元）", "项目代码"], *rows]):
        for column, value in enumerate(values):
            if value not in ("", None):
                sheet.write(index, column, value)
    book.close()
    return stream.getvalue()


def test_the_messy_workbook_imports_with_every_value_read_right(district, tmp_path):
    path, _ = build(tmp_path)
    report = project_list_import(actor=district, file=path)
    assert report.ok, report.summary()
    assert (report.created, report.updated, report.unchanged, report.new_enterprises) == (5, 0, 0, 3)
    projects = {project.name: project for project in Project.objects.select_related("enterprise", "butler")}
    assert set(projects) == set(messy.EXPECTED)
    for name, expected in messy.EXPECTED.items():
        project = projects[name]
        assert project.total_investment == Decimal(expected["total"]), name
        assert project.annual_plan == Decimal(expected["plan"]), name
        assert project.planned_start_on == expected["start"], name
        assert project.version == 1
    first, second = projects["智能网联汽车零部件基地"], projects["创新药研发中试平台"]
    assert first.project_code == messy.CODE_1 and first.statistics_registered is True  # √
    assert second.project_code == messy.CODE_2 and second.enterprise.uscc == messy.USCC_B  # full-width
    assert second.category == "continuing" and second.statistics_registered is True  # Y
    assert first.butler.username == "wang" and first.responsible_department.name == messy.DEPARTMENT
    assert first.land_supply_mode == "land_with_scheme"
    # Row 5 names its enterprise without a USCC: it is the one row 2 introduced.
    assert projects["康宁生物二期"].enterprise_id == second.enterprise_id
    assert projects["机器人整机产业园"].category == "reserve" and projects["机器人整机产业园"].butler is None


def test_created_rows_are_audited_one_entry_each(district, tmp_path):
    path, _ = build(tmp_path)
    project_list_import(actor=district, file=path)
    entries = AuditEntry.objects.filter(action="create")
    assert entries.filter(model_label="projects.project").count() == 5
    assert entries.filter(model_label="projects.enterprise").count() == 3
    entry = entries.get(object_repr="智能网联汽车零部件基地")
    assert entry.actor == district and entry.project.name == "智能网联汽车零部件基地"
    project = entry.project
    assert project.created_by == district and project.light_reasons == [] and project.deleted_at is None
    assert abs(project.created_at - timezone.now()) < dt.timedelta(minutes=5)
    assert project.created_at == project.updated_at == entry.at
    assert entry.changes["total_investment"] == [None, "125000.00"]
    assert "第 6 行" in entry.note


@pytest.mark.parametrize("problem", sorted(messy.BROKEN))
def test_each_problem_is_reported_at_its_row_and_column_and_nothing_is_written(district, tmp_path, problem):
    path, where = build(tmp_path, broken=(problem,))
    report = project_list_import(actor=district, file=path)
    assert not report.ok
    assert [(p.row, p.column) for p in report.errors] == [(where[problem], messy.BROKEN[problem][1])]
    assert Project.all_objects.count() == 0 and Enterprise.all_objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_problem_messages_are_the_ones_a_user_can_act_on(district, tmp_path):
    path, where = build(tmp_path, broken=tuple(messy.BROKEN))
    report = project_list_import(actor=district, file=path)
    text = {problem.row: str(problem) for problem in report.errors}
    assert len(report.errors) == len(messy.BROKEN)
    assert text[where["bad_uscc"]].startswith(f"第 {where['bad_uscc']} 行 ‘统一社会信用代码’ 校验位错误")
    assert "日期不存在" in text[where["bad_date"]]
    assert "可选：新开工、续建、竣工投产、储备" in text[where["unknown_enum"]]
    assert "与第 6 行重复（项目代码相同）" in text[where["duplicate_code"]]
    assert "没有名为“查无此人”的项目管家" in text[where["unknown_butler"]]
    assert "没有名为“不存在局”的部门" in text[where["unknown_department"]]
    assert report.summary().startswith(f"导入失败：发现 {len(messy.BROKEN)} 个问题，未写入任何数据")


def test_missing_required_columns_are_named(district, tmp_path):
    path, _ = build(tmp_path, drop_columns=("建设性质", "总投资（亿元）"))
    report = project_list_import(actor=district, file=path)
    assert [str(problem) for problem in report.errors] == [
        "第 4 行 缺少必填列“项目类别”（也可写作：类别、项目分类、建设性质、项目性质）",
        "第 4 行 缺少必填列“总投资（万元）”（也可写作：计划总投资、项目总投资、总投资额）",
    ]


def test_a_required_cell_left_empty(district):
    report = project_list_import(actor=district, file=workbook([["甲项目", "", 100]]))
    assert [str(problem) for problem in report.errors] == ["第 2 行 ‘项目类别’ 不能为空"]


def test_dry_run_reports_and_writes_nothing(district, tmp_path):
    path, _ = build(tmp_path)
    report = project_list_import(actor=district, file=path, dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert [outcome.action for outcome in report.rows] == ["create"] * 5
    assert report.summary().startswith("试导入通过（未写入）：将新建 5 个")
    assert Project.all_objects.count() == 0 and AuditEntry.objects.count() == 0


def test_importing_the_same_file_twice_changes_nothing(district, tmp_path):
    path, _ = build(tmp_path)
    project_list_import(actor=district, file=path)
    audit_count = AuditEntry.objects.count()
    again = project_list_import(actor=district, file=path.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5), again.summary()
    assert AuditEntry.objects.count() == audit_count
    assert set(Project.objects.values_list("version", flat=True)) == {1}


def test_a_changed_row_updates_through_the_service_with_version_and_audit(district):
    project_list_import(actor=district, file=workbook([["甲项目", "新开工", 100, ""]]))
    report = project_list_import(
        actor=district, file=workbook([["甲项目", "续建", "１２０", ""]]), dry_run=True
    )
    assert (report.created, report.updated) == (0, 1)
    assert str(report.rows[0]) == "第 2 行 更新：甲项目（项目类别、总投资（万元））"
    report = project_list_import(actor=district, file=workbook([["甲项目", "续建", "１２０", ""]]))
    project = Project.objects.get()
    assert (report.updated, project.version, project.category, project.total_investment) == (
        1, 2, "continuing", Decimal("120.00"))  # fmt: skip
    update = AuditEntry.objects.get(action="update")
    assert update.changes["total_investment"] == ["100.00", "120.00"]


def test_a_project_gets_its_code_later_and_is_updated_not_duplicated(district):
    code = "2026-110115-36-03-000009"
    project_list_import(actor=district, file=workbook([["甲项目", "储备", 100, ""]]))
    report = project_list_import(actor=district, file=workbook([["甲项目", "新开工", 100, code]]))
    assert (report.created, report.updated) == (0, 1)
    assert Project.objects.get().project_code == code


def test_the_same_project_twice_without_code_is_a_duplicate(district):
    report = project_list_import(
        actor=district, file=workbook([["甲项目", "储备", 1, ""], ["甲项目", "续建", 2, ""]])
    )
    assert [str(problem) for problem in report.errors] == ["第 3 行 ‘项目名称’ 与第 2 行重复（同一个项目）"]


def test_extra_columns_and_header_order_do_not_matter(district):
    header = ["备注说明", "总投资(万元)", "项目代码", "联系人", "项目类别", "项目名称"]
    data = workbook([["随便写", "5,000", "", "李四", "储备", "乙项目"]], header)
    report = project_list_import(actor=district, file=data)
    assert report.ok and Project.objects.get().total_investment == Decimal("5000.00")


def test_a_new_enterprise_needs_a_name_and_an_unknown_one_needs_a_uscc(district):
    header = ["项目名称", "项目类别", "总投资", "企业名称", "统一社会信用代码"]
    uscc = uscc_with_check("91110115MA0TEHT01")
    report = project_list_import(
        actor=district,
        file=workbook([["甲", "储备", 1, "", uscc], ["乙", "储备", 1, "无码公司", ""]], header),
    )
    assert [str(problem) for problem in report.errors] == [
        "第 2 行 ‘企业名称’ 企业尚未登记，新企业须填写项目单位名称",
        "第 3 行 ‘企业名称’ “无码公司”尚未登记，请填写统一社会信用代码",
    ]


# ---------------------------------------------------------------- whole-file errors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"name,category\n1,2\n", "不是 Excel 文件"),
        (b"PK\x03\x04 not really a zip", "文件已损坏或不是 Excel 文件"),
    ],
)
def test_a_file_that_is_not_a_usable_spreadsheet_is_one_clear_error(district, content, message):
    with pytest.raises(ImportFileError, match=message):
        project_list_import(actor=district, file=content)


def test_too_large_a_file_is_refused_before_reading(district, tmp_path, settings):
    path, _ = build(tmp_path)
    with pytest.raises(ImportFileError, match="文件太大"):
        project_list_import(actor=district, file=path, max_bytes=1024)
    settings.DAIBAN_IMPORT_MAX_BYTES = 2048
    with pytest.raises(ImportFileError, match=r"上限 2\.0 KB"):
        project_list_import(actor=district, file=io.BytesIO(path.read_bytes()))


def test_no_header_row_and_no_data_rows(district):
    with pytest.raises(ImportFileError, match="找不到表头"):
        project_list_import(actor=district, file=workbook([["x"]], ["姓名", "电话"]))
    with pytest.raises(ImportFileError, match="表头以下没有项目数据"):
        project_list_import(actor=district, file=workbook([]))


# ---------------------------------------------------------------- who may import


def test_a_butler_updates_own_projects_but_creates_none(district, butler, project, project_factory):
    project_factory(name="别人的项目", butler=None)
    header = ["项目名称", "项目类别", "总投资（万元）", "项目单位"]
    rows = [
        [project.name, "续建", 50000, project.enterprise.name],
        ["新项目", "储备", 1, project.enterprise.name],
    ]
    report = project_list_import(actor=butler, file=workbook(rows, header))
    assert [str(problem) for problem in report.errors] == [
        "第 3 行 ‘项目名称’ 系统中没有这个项目，您没有新建项目的权限"
    ]
    report = project_list_import(actor=butler, file=workbook(rows[:1], header))
    assert report.ok and report.updated == 1
    project.refresh_from_db()
    assert project.category == "continuing"


def test_roles_without_import_rights_are_refused(district, specialist):
    with pytest.raises(NotPermitted):
        project_list_import(actor=specialist, file=workbook([["甲", "储备", 1, ""]]))


# ---------------------------------------------------------------- the command


def test_cli_import_dry_run_then_import_then_again(district, tmp_path, capsys):
    path, _ = build(tmp_path)
    assert cli_main(["import", str(path), "--dry-run"]) == 0
    assert "试导入通过（未写入）：将新建 5 个" in capsys.readouterr().out
    assert Project.objects.count() == 0
    assert cli_main(["import", str(path), "--user", "importer"]) == 0
    assert "导入成功：新建 5 个" in capsys.readouterr().out
    assert cli_main(["import", str(path)]) == 0
    assert "新建 0 个，更新 0 个，未变 5 个" in capsys.readouterr().out


def test_cli_lists_every_problem_and_exits_1(district, tmp_path, capsys):
    path, _ = build(tmp_path, broken=("bad_uscc", "bad_date"))
    assert cli_main(["import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "导入失败：发现 2 个问题，未写入任何数据" and len(err) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "文件是空的（0 字节）"), (b"hello", "不是 Excel 文件"), (None, "找不到文件")],
)
def test_cli_file_errors_are_one_line(district, tmp_path, capsys, content, message):
    path = tmp_path / "in.xlsx"
    if content is not None:
        path.write_bytes(content)
    assert cli_main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("daiban import: 错误: ") and message in err


def test_a_row_changed_by_someone_else_meanwhile_rolls_back_the_whole_import(district, monkeypatch):
    from daiban.audit.services import update_versioned
    from daiban.projects.excel import importing

    project_list_import(actor=district, file=workbook([["甲项目", "新开工", 100, ""]]))
    run = importing.Planner.run

    def run_then_someone_edits(self, rows):
        plan = run(self, rows)
        update_versioned(
            Project.objects.get(), actor=None, expected_version=None, changes={"industry": "新材料"}
        )
        return plan

    monkeypatch.setattr(importing.Planner, "run", run_then_someone_edits)
    report = project_list_import(
        actor=district, file=workbook([["甲项目", "续建", 100, ""], ["乙项目", "储备", 1, ""]])
    )
    assert not report.ok and report.errors[0].row == 2
    assert "保存失败，未写入任何数据" in str(report.errors[0]) and "修改" in str(report.errors[0])
    assert list(Project.objects.values_list("name", "category")) == [("甲项目", "new_start")]


def test_total_and_section_rows_are_skipped_but_projects_named_alike_are_not(district):
    rows = [["一、储备项目", "", "", ""], ["小计量仪器产业园", "储备", 1, ""], ["一期工程", "储备", 1, ""]]
    report = project_list_import(actor=district, file=workbook([*rows, ["合 计", "", 2, ""]]))
    assert report.ok and report.created == 2, report.summary()


# -------------------------------------------------------- policy facts: 设备投资, 所在片区, 高新技术企业

FACTS_HEADER = [
    "项目名称", "项目类别", "总投资（万元）", "项目单位", "统一社会信用代码", "产业领域",
    "设备投资（万元）", "所在片区", "高新技术企业",
]  # fmt: skip
FACTS_USCC = uscc_with_check("91110115MA0FACT01")
EQUIPMENT_RULE = """\
all:
  - {field: industry, op: eq, value: 生物医药}
  - {field: equipment_investment, op: ge, value: 1000}
"""


@pytest.fixture
def equipment_policy(db, monkeypatch):
    """A project-level policy for 生物医药 projects with at least 1000 万元 of equipment, on a pinned day."""
    from daiban.policies.services import common, policy_save

    monkeypatch.setattr(common, "current_day", lambda: dt.date(2026, 6, 1))
    return policy_save(
        actor=None,
        name="设备购置贷款贴息",
        issuer="区经济和信息化局",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2027, 12, 31),
        level="project",
        benefit_kind="interest_subsidy",
        rate=Decimal("0.03"),
        cap=Decimal("2000"),
        base_fact="equipment_investment",
        rule=EQUIPMENT_RULE,
    )


def _facts_row(name="甲项目", equipment="", area="", high_tech="", uscc=FACTS_USCC):
    return [name, "新开工", 100, "甲公司", uscc, "生物医药", equipment, area, high_tech]


def _matched(policy):
    from daiban.policies.models import PolicyMatch

    return set(
        PolicyMatch.objects.filter(policy=policy, eligible=True).values_list("project__name", flat=True)
    )


def test_policy_facts_are_read_and_blank_leaves_them_empty(district):
    rows = [_facts_row("甲项目", "1,500.5", " 生物医药园 ", "是"), _facts_row("乙项目", uscc="")]
    report = project_list_import(actor=district, file=workbook(rows, FACTS_HEADER))
    assert report.ok, report.summary()
    projects = {project.name: project for project in Project.objects.select_related("enterprise")}
    first, second = projects["甲项目"], projects["乙项目"]
    assert (first.equipment_investment, first.area, first.enterprise.high_tech) == (
        Decimal("1500.50"), "生物医药园", True)  # fmt: skip
    assert (second.equipment_investment, second.area) == (None, "")
    entry = AuditEntry.objects.get(model_label="projects.enterprise", action="create")
    assert entry.changes["high_tech"] == [None, True]


def test_equipment_investment_in_yi_yuan_is_converted(district):
    header = [*FACTS_HEADER[:6], "设备投资（亿元）"]
    report = project_list_import(actor=district, file=workbook([_facts_row(equipment=0.25)[:7]], header))
    assert report.ok, report.summary()
    assert Project.objects.get().equipment_investment == Decimal("2500.00")


def test_bad_policy_facts_are_reported_by_row_and_column_and_nothing_is_written(district):
    rows = [
        _facts_row("甲项目", equipment="-5"),
        _facts_row("乙项目", equipment="很多", uscc=""),
        _facts_row("丙项目", high_tech="也许", uscc=""),
        _facts_row("丁项目", area="区" * 51, uscc=""),
    ]
    report = project_list_import(actor=district, file=workbook(rows, FACTS_HEADER))
    assert [str(problem) for problem in report.errors] == [
        "第 2 行 ‘设备投资（万元）’ 不能为负数：-5",
        "第 3 行 ‘设备投资（万元）’ 应为数字，实际为“很多”",
        "第 4 行 ‘高新技术企业’ 应填“是”或“否”，实际为“也许”",
        "第 5 行 ‘所在片区’ " + report.errors[3].message,
    ]
    assert "50" in report.errors[3].message
    assert Project.all_objects.count() == 0 and Enterprise.all_objects.count() == 0


def test_rows_of_one_enterprise_must_agree_on_high_tech(district):
    rows = [_facts_row("甲项目", high_tech="是"), _facts_row("乙项目", high_tech="否"), _facts_row("丙项目")]
    report = project_list_import(actor=district, file=workbook(rows, FACTS_HEADER))
    assert [str(problem) for problem in report.errors] == [
        "第 3 行 ‘高新技术企业’ 与第 2 行同一企业的填写不一致"
    ]


def test_high_tech_yes_without_an_enterprise_is_refused(district):
    header = ["项目名称", "项目类别", "总投资", "项目单位", "高新技术企业"]
    report = project_list_import(actor=district, file=workbook([["甲", "储备", 1, "", "是"]], header))
    assert [str(problem) for problem in report.errors] == [
        "第 2 行 ‘高新技术企业’ 没有项目单位，不能填写企业信息"
    ]


def test_a_changed_high_tech_updates_the_enterprise_through_its_service(district):
    project_list_import(actor=district, file=workbook([_facts_row()], FACTS_HEADER))
    enterprise = Enterprise.objects.get()
    assert enterprise.high_tech is False

    report = project_list_import(actor=district, file=workbook([_facts_row(high_tech="是")], FACTS_HEADER))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0), report.summary()
    assert str(report.rows[0]) == "第 2 行 更新：甲项目（高新技术企业）"
    enterprise.refresh_from_db()
    assert enterprise.high_tech is True and enterprise.version == 2
    assert Project.objects.get().version == 1  # the project itself did not change
    update = AuditEntry.objects.get(action="update", model_label="projects.enterprise")
    assert update.changes["high_tech"] == [False, True] and update.actor == district

    again = project_list_import(actor=district, file=workbook([_facts_row(high_tech="是")], FACTS_HEADER))
    assert (again.updated, again.unchanged) == (0, 1)


def test_high_tech_without_enterprise_columns_means_the_projects_enterprise(district):
    project_list_import(actor=district, file=workbook([_facts_row()], FACTS_HEADER))
    header = ["项目名称", "项目类别", "总投资", "高新技术企业"]
    report = project_list_import(actor=district, file=workbook([["甲项目", "新开工", 100, "是"]], header))
    assert report.ok and report.updated == 1, report.summary()
    assert Enterprise.objects.get().high_tech is True


def test_a_butler_may_change_high_tech_of_their_projects_enterprise(district, butler, project):
    # A butler maintains enterprise facts (can_edit_enterprise); the change goes through for their project.
    header = ["项目名称", "项目类别", "总投资", "统一社会信用代码", "高新技术企业"]
    row = [project.name, "新开工", 50000, project.enterprise.uscc, "是"]
    report = project_list_import(actor=butler, file=workbook([row], header))
    assert report.ok, report.summary()
    project.enterprise.refresh_from_db()
    assert project.enterprise.high_tech is True


def test_importing_a_changed_equipment_investment_re_matches_the_policy(district, equipment_policy):
    project_list_import(actor=district, file=workbook([_facts_row(equipment="500")], FACTS_HEADER))
    assert _matched(equipment_policy) == set()

    report = project_list_import(actor=district, file=workbook([_facts_row(equipment="1200")], FACTS_HEADER))
    assert report.ok and report.updated == 1, report.summary()
    assert _matched(equipment_policy) == {"甲项目"}

    project_list_import(actor=district, file=workbook([_facts_row(equipment="")], FACTS_HEADER))
    assert Project.objects.get().equipment_investment is None
    assert _matched(equipment_policy) == set()


def test_imported_new_projects_are_matched_once_the_import_is_written(district, equipment_policy):
    rows = [_facts_row("甲项目", equipment="1500"), _facts_row("乙项目", equipment="10", uscc="")]
    dry = project_list_import(actor=district, file=workbook(rows, FACTS_HEADER), dry_run=True)
    assert dry.ok and _matched(equipment_policy) == set()

    report = project_list_import(actor=district, file=workbook(rows, FACTS_HEADER))
    assert report.ok and report.created == 2, report.summary()
    assert _matched(equipment_policy) == {"甲项目"}
