"""导入项目清单: upload → dry run with the row-and-column report → confirm → the same import, written.

The uploaded file is kept between the preview and the confirmation under MEDIA_ROOT/imports, named by a
random token that only the uploader's session knows; a confirmation re-validates it from scratch.
"""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from daiban.accounts.permissions import NotPermitted
from daiban.accounts.selectors import department_list
from daiban.core.errors import DomainError
from daiban.projects.excel import ImportReport, can_import_projects, project_list_import, template_write
from daiban.projects.excel.resolve import butler_labels
from daiban.web.access import ANY_ROLE, role_required

PENDING_SESSION_KEY = "project_import_pending"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
PENDING_MAX_AGE_SECONDS = 24 * 3600
SHOWN_ROWS = 500  # outcome rows listed on the page (the counts cover them all)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="项目清单文件", help_text="Excel 文件（.xlsx、.xls、.ods），不超过 10 MB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("只能上传 Excel 文件（.xlsx、.xls、.ods）")
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件太大：{upload.size / 1048576:.1f} MB，上限 {limit // 1048576} MB"
            )
        return upload


def _require_import_right(request: HttpRequest) -> None:
    if not can_import_projects(actor=request.user):
        raise PermissionDenied("您没有导入项目清单的权限")


@role_required(*ANY_ROLE)
def project_import(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    if request.method != "POST":
        return _page(request, ImportUploadForm())
    action = request.POST.get("action", "preview")
    if action == "confirm":
        return _confirm(request)
    if action == "cancel":
        _discard(request)
        return redirect("project_import")
    return _preview(request)


def _preview(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    report = _run(request, form, data, upload.name, dry_run=True)
    if report is None:
        return _page(request, form, status=400)
    _discard(request)
    if report.ok:
        _keep(request, data, upload.name)
    return _page(request, ImportUploadForm(), report=report, filename=upload.name)


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_SESSION_KEY)
    path = _pending_path(pending["token"]) if pending else None
    if path is None or not path.is_file():
        messages.warning(request, "没有待确认的导入（可能已过期），请重新上传文件。")
        return redirect("project_import")
    form = ImportUploadForm()
    report = _run(request, form, path.read_bytes(), pending["name"], dry_run=False)
    _discard(request)
    if report is not None and report.written:
        messages.success(request, report.summary())
        return redirect("project_list")
    return _page(request, form, report=report, filename=pending["name"], status=400)


def _run(request, form, data: bytes, name: str, *, dry_run: bool) -> ImportReport | None:
    """The import (or its dry run); a file-level problem becomes a form error and None."""
    try:
        return project_list_import(
            actor=request.user, file=data, dry_run=dry_run, max_bytes=settings.UPLOAD_MAX_BYTES, filename=name
        )
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        form.add_error(None, str(error))
        return None


def _page(request, form, *, report: ImportReport | None = None, filename: str = "", status: int = 200):
    context = {
        "form": form,
        "report": report,
        "filename": filename,
        "rows": report.rows[:SHOWN_ROWS] if report else [],
        "more_rows": max(len(report.rows) - SHOWN_ROWS, 0) if report else 0,
        "pending": report is not None and report.ok and report.dry_run,
        "max_mb": settings.UPLOAD_MAX_BYTES // 1048576,
    }
    return render(request, "web/project_import.html", context, status=status)


# ---------------------------------------------------------------------------------------------- pending file


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _pending_path(token: str) -> Path | None:
    return _pending_dir() / f"{token}.upload" if token.isalnum() else None


def _keep(request: HttpRequest, data: bytes, name: str) -> None:
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.upload").write_bytes(data)
    request.session[PENDING_SESSION_KEY] = {"token": token, "name": Path(name).name[:200]}


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_SESSION_KEY, None)
    path = _pending_path(pending["token"]) if pending else None
    if path is not None:
        path.unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Files of previews never confirmed are removed after a day."""
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------- template


@role_required(*ANY_ROLE)
@require_GET
def project_import_template(request: HttpRequest) -> HttpResponse:
    """The empty 项目清单 template with the drop-downs of this district's butlers and departments."""
    _require_import_right(request)
    stream = io.BytesIO()
    template_write(
        stream,
        butlers=sorted(set(butler_labels().values())),  # the names the import resolves back
        departments=list(department_list().values_list("name", flat=True)),
    )
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename="项目清单模板.xlsx", content_type=XLSX)
