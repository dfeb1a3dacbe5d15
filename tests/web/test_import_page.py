"""导入项目清单 page: limits, the dry-run report by row and column, then confirm (or nothing is written)."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from daiban.projects.models import Project

pytestmark = pytest.mark.django_db

HEADER = ["项目名称", "项目类别", "总投资（万元）", "项目代码"]


def workbook(rows: list[list[object]]) -> bytes:
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = book.add_worksheet("项目")
    for index, values in enumerate([HEADER, *rows]):
        for column, value in enumerate(values):
            if value not in ("", None):
                sheet.write(index, column, value)
    book.close()
    return stream.getvalue()


def upload(client, data: bytes, name: str = "清单.xlsx"):
    return client.post("/projects/import/", {"action": "preview", "file": SimpleUploadedFile(name, data)})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_preview_writes_nothing_then_confirm_imports(signed_in, tmp_path):
    client = signed_in("dispatcher")
    preview = upload(client, workbook([["甲项目", "新开工", 100, ""], ["乙项目", "储备", 200, ""]]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "试导入通过（未写入）" in html and 'id="confirm-import"' in html
    assert "甲项目" in html and "新建" in html
    assert not Project.objects.exists()
    assert len(list((tmp_path / "imports").iterdir())) == 1
    confirmed = client.post("/projects/import/", {"action": "confirm"}, follow=True)
    assert confirmed.redirect_chain[-1][0] == "/projects/"
    assert "导入成功：新建 2 个" in confirmed.content.decode()
    assert set(Project.objects.values_list("name", flat=True)) == {"甲项目", "乙项目"}
    assert not list((tmp_path / "imports").iterdir())  # the kept upload is gone


def test_problems_are_listed_by_row_and_column_and_cannot_be_confirmed(signed_in):
    client = signed_in("dispatcher")
    response = upload(client, workbook([["甲项目", "", 100, ""], ["乙项目", "新开工", "很多", ""]]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html and 'id="confirm-import"' not in html
    assert '<td class="num">2</td><td>项目类别</td><td>不能为空</td>' in html
    assert '<td class="num">3</td><td>总投资（万元）</td>' in html
    assert client.post("/projects/import/", {"action": "confirm"}).status_code == 302
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("清单.csv", b"a,b\n", "只能上传 Excel 文件"),
        ("清单.xlsx", b"this is not a workbook", "不是 Excel 文件"),
        ("清单.xlsx", b"", "空文件"),
    ],
)
def test_files_that_cannot_be_imported_get_one_clear_message(signed_in, name, data, message):
    response = upload(signed_in("dispatcher"), data, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(signed_in, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = upload(signed_in("dispatcher"), workbook([["甲项目", "新开工", 100, ""]]) + b"\0" * 2048)
    assert response.status_code == 400
    assert "文件太大" in response.content.decode()


def test_cancel_discards_the_kept_upload(signed_in, tmp_path):
    client = signed_in("dispatcher")
    upload(client, workbook([["甲项目", "新开工", 100, ""]]))
    client.post("/projects/import/", {"action": "cancel"})
    assert not list((tmp_path / "imports").iterdir())
    client.post("/projects/import/", {"action": "confirm"})
    assert not Project.objects.exists()


ALLOWED = {
    "leader": 403,
    "enterprise": 403,
    "specialist": 403,
    "dispatcher": 200,
    "admin": 200,
    "butler": 200,
}


@pytest.mark.parametrize(("role", "status"), ALLOWED.items())
def test_who_may_import(signed_in, role, status):
    client = signed_in(role)
    assert client.get("/projects/import/").status_code == status
    assert client.get("/projects/import/template/").status_code == status
    has_link = 'href="/projects/import/"' in client.get("/projects/").content.decode()
    assert has_link == (status == 200)


def test_the_template_download_is_a_workbook(signed_in):
    response = signed_in("dispatcher").get("/projects/import/template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_upload_form_is_protected_by_csrf(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["dispatcher"])
    assert upload(client, workbook([["甲项目", "新开工", 100, ""]])).status_code == 403


def test_an_oversized_request_body_is_refused_before_it_is_read(signed_in):
    client = signed_in("dispatcher")
    response = client.generic(
        "POST",
        "/projects/import/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="52428800",
    )
    assert response.status_code == 413
    assert "上传内容太大" in response.content.decode()
