"""The Word handbook (一项目一册): its content read back with python-docx, its Chinese fonts, the table and
page furniture a printed copy needs, the `daiban handbook` command, and a LibreOffice conversion to PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from daiban.approvals.models import ApprovalCase
from daiban.approvals.selectors import project_gantt
from daiban.approvals.services import cases_generate
from daiban.cli import main
from daiban.core.catalogue import load_catalogue
from daiban.projects.handbook_docx import STAR, handbook_docx_write
from daiban.projects.models import Project
from daiban.projects.services import milestone_record

pytestmark = pytest.mark.django_db

CODE = "2026-110115-89-01-012345"
ISSUED = dt.date(2026, 3, 5)
# (item code, critical, conventional start/finish, agency start/finish) — a small two-scenario baseline.
PLAN = [
    ("project_code_assign", True, "2026-03-02", "2026-03-03", "2026-03-02", "2026-03-02"),
    ("enterprise_filing", True, "2026-03-03", "2026-03-03", "2026-03-02", "2026-03-02"),
    ("land_preexam_siting", True, "2026-03-03", "2026-03-31", "2026-03-02", "2026-03-16"),
]


def _text(document) -> str:
    """Every paragraph of the body, the tables (nested included) and the footers, one per line."""
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    lines += [p.text for section in document.sections for p in section.footer.paragraphs]
    return "\n".join(lines)


@pytest.fixture
def handbook_project(project, department, user_factory, milestone_kinds):
    """京南生物's project with a code, a butler with a phone, three tailored cases and two milestones."""
    project.project_code = CODE
    project.location = "经开区科创十街"
    project.save()
    project.butler.phone = "13911112222"
    project.butler.department = department
    project.butler.save()
    project.specialists.add(
        user_factory(username="sp2", full_name="周专员", role="specialist", phone="010-6788")
    )
    catalogue = load_catalogue()
    for order, (code, critical, c_start, c_finish, a_start, a_finish) in enumerate(PLAN):
        item = catalogue.item(code)
        ApprovalCase.objects.create(
            project=project,
            item_code=code,
            name=item.name,
            stage=item.stage,
            department_name=item.department,
            level=item.level,
            delegated=item.delegated,
            statutory_days=item.statutory_days,
            statutory_unit=item.statutory_unit,
            extension_days=item.extension_days,
            promised_days=item.promised_days,
            promised_unit=item.promised_unit,
            commitment=code == "enterprise_filing",
            tolerated_gap=item.tolerated_gap,
            prerequisites=list(item.prerequisites),
            materials=list(item.materials),
            notes=["容缺材料须在受理后 5 个工作日内补齐"] if item.tolerated_gap else [],
            catalogue_order=order,
            conventional_start=dt.date.fromisoformat(c_start),
            conventional_finish=dt.date.fromisoformat(c_finish),
            agency_start=dt.date.fromisoformat(a_start),
            agency_finish=dt.date.fromisoformat(a_finish),
            planned_start=dt.date.fromisoformat(a_start),
            planned_finish=dt.date.fromisoformat(a_finish),
            total_float=0 if critical else 5,
            critical=critical,
        )
    milestone_record(
        actor=None,
        project=project,
        kind_code="signed",
        planned_on=dt.date(2025, 11, 1),
        actual_on=dt.date(2025, 11, 20),
    )
    milestone_record(actor=None, project=project, kind_code="started", planned_on=dt.date(2026, 6, 30))
    return project


def _plan_table(document):
    return next(table for table in document.tables if table.rows[0].cells[-1].text == "关键路径")


def _write(user, project) -> bytes:
    stream = io.BytesIO()
    handbook_docx_write(user=user, project=project, stream=stream, issued_on=ISSUED)
    return stream.getvalue()


def test_handbook_lists_project_team_items_and_plan(handbook_project, admin_user):
    document = Document(io.BytesIO(_write(admin_user, handbook_project)))
    text = _text(document)
    assert "京南生物医药产业化基地" in text
    assert "京南生物科技有限公司" in text and CODE in text and "50,000 万元" in text
    assert "张三" in text and "13911112222" in text and "周专员" in text and "区规划和自然资源分局" in text
    assert "2026年3月5日" in text
    assert "建设项目用地预审与选址意见书" in text
    assert "市规划和自然资源委员会区分局（市级，赋权）" in text  # issuing department, level, delegated power
    assert "20个工作日" in text and "可延长10个工作日" in text and "10个工作日" in text
    assert "项目代码赋码" in text  # the prerequisite by its name, not its code
    assert "容缺受理" in text and "告知承诺" in text
    assert "用地预审与选址申请表" in text  # a material
    assert "签约" in text and "2025-11-20" in text and "2026-06-30" in text
    assert "本项目共需办理审批事项 3 项" in text


def test_summary_compares_agency_plan_with_conventional(handbook_project, admin_user):
    text = _text(Document(io.BytesIO(_write(admin_user, handbook_project))))
    # conventional (3-02, 3-31] = 21 working days; agency (3-02, 3-16] = 10 → 1 − 10/21 = 52.4 %
    assert "约需 21 个工作日" in text and "计划用时 10 个工作日" in text and "压缩 52.4%" in text


def test_critical_path_is_starred_bold_and_explained(handbook_project, admin_user):
    document = Document(io.BytesIO(_write(admin_user, handbook_project)))
    starred = [row for row in _plan_table(document).rows[1:] if row.cells[-1].text == STAR]
    assert len(starred) == 3
    assert all(run.bold for run in starred[0].cells[1].paragraphs[0].runs)
    assert f"标注“{STAR}”并加粗的事项位于关键路径上" in _text(document)


def test_every_run_and_the_normal_style_name_an_east_asian_font(handbook_project, admin_user):
    document = Document(io.BytesIO(_write(admin_user, handbook_project)))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "SimSun" and normal.get(qn("w:asciiTheme")) is None
    parts = [document.element.body] + [s.footer._element for s in document.sections]
    runs = [run for part in parts for run in part.iter(qn("w:r"))]
    assert runs
    assert all(run.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for run in runs)


def test_print_furniture_header_rows_page_numbers_a4(handbook_project, admin_user):
    document = Document(io.BytesIO(_write(admin_user, handbook_project)))
    for table in document.tables[1:]:  # the cover's fact table has no header row
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    cover, body = document.sections
    assert not "".join(p.text for p in cover.footer.paragraphs).strip()
    assert "PAGE" in body.footer._element.xml and not body.footer.is_linked_to_previous
    assert (round(body.page_width.cm, 1), round(body.page_height.cm, 1)) == (21.0, 29.7)
    assert round(body.top_margin.cm, 1) == 3.7 and round(body.left_margin.cm, 1) == 2.8


def test_handbook_of_the_cases_the_service_generates(project, admin_user):
    cases = cases_generate(actor=None, project=project)
    document = Document(io.BytesIO(_write(admin_user, project)))
    text = _text(document)
    assert cases and all(case.name in text for case in cases)
    gantt = project_gantt(user=admin_user, project=project)
    assert (
        f"约需 {gantt.conventional_days} 个工作日" in text
        and f"计划用时 {gantt.agency_days} 个工作日" in text
    )
    starred = [row for row in _plan_table(document).rows[1:] if row.cells[-1].text == STAR]
    assert len(starred) == sum(case.critical for case in cases) > 0


def test_a_project_without_cases_still_gets_a_handbook(project, admin_user):
    text = _text(Document(io.BytesIO(_write(admin_user, project))))
    assert "本项目尚未生成审批事项" in text and "审批计划尚未编制" in text


def test_out_of_scope_user_gets_no_handbook(handbook_project, other_butler):
    with pytest.raises(Project.DoesNotExist):
        _write(other_butler, handbook_project)


# ------------------------------------------------------------------------------------------ the command


def test_command_writes_the_handbook_by_code_and_by_id(handbook_project, tmp_path, capsys):
    by_code, by_id = tmp_path / "by_code.docx", tmp_path / "by_id.docx"
    assert main(["handbook", CODE, str(by_code)]) == 0
    assert "京南生物医药产业化基地" in capsys.readouterr().out
    assert main(["handbook", str(handbook_project.pk), str(by_id), "--user", "butler"]) == 0
    assert "建设项目用地预审与选址意见书" in _text(Document(str(by_id)))
    assert "京南生物医药产业化基地" in _text(Document(str(by_code)))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["handbook", "2026-110115-89-01-099999", "x.docx"], "找不到项目"),
        (["handbook", "99999", "x.docx"], "找不到项目"),
        (["handbook", CODE, "x.docx", "--user", "nobody"], "找不到用户"),
        (
            ["handbook", CODE, "x.docx", "--user", "butler2"],
            "找不到项目",
        ),  # another butler's project: not found
        (["handbook", CODE, "x.pdf"], ".docx"),
    ],
)
def test_command_errors_are_one_chinese_line(
    handbook_project, other_butler, tmp_path, monkeypatch, capsys, argv, message
):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    error = capsys.readouterr().err.strip()
    assert message in error and "\n" not in error
    assert not (tmp_path / "x.docx").exists()


# ------------------------------------------------------------------------------------------ LibreOffice


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice 未安装（scripts/setup.sh dev 会安装）"
)
def test_libreoffice_converts_it_to_a_pdf_with_the_chinese_text(handbook_project, admin_user, tmp_path):
    source = tmp_path / "handbook.docx"
    source.write_bytes(_write(admin_user, handbook_project))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "handbook.pdf"
    assert pdf.stat().st_size > 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "京南生物医药产业化基地" in text and "二、审批事项清单" in text
    assert Path(pdf).read_bytes().startswith(b"%PDF")
