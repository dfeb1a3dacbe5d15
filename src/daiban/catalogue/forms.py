"""Admin forms: each one validates through the same service checks the writes use, so a refused edit is a form
error naming the culprit (and nothing is saved)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from daiban.audit.services import ConcurrentEditError
from daiban.catalogue import services
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, LightRuleSetting
from daiban.catalogue.selectors import rule_set_choices
from daiban.core.errors import DomainError

_CONDITION = forms.Textarea(attrs={"rows": 4, "cols": 80, "class": "vLargeTextField"})
_NOTICE_MAX_BYTES = 256 * 1024


class LinesField(forms.CharField):
    """A list of texts edited one per line (commas also separate, for prerequisite codes)."""

    def __init__(self, *, split_commas: bool = False, **kwargs: Any) -> None:
        self.split_commas = split_commas
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "cols": 60}))
        super().__init__(required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        text = str(value or "")
        if self.split_commas:
            text = text.replace(",", "\n").replace("，", "\n").replace("、", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class VersionedForm(forms.ModelForm):
    """Carries the version the admin read, so a concurrent change is refused instead of overwritten."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None and expected != self.instance.version:
            raise forms.ValidationError(str(ConcurrentEditError(self.instance)))
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The model fields this form edits, with their cleaned values."""
        names = [field.name for field in self._meta.model._meta.concrete_fields if field.name in self.fields]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class ApprovalItemForm(VersionedForm):
    prerequisites = LinesField(
        label="前置事项", split_commas=True, help_text="事项编码，每行一个（或用逗号分隔）"
    )
    materials = LinesField(label="申请材料", help_text="每行一项")

    class Meta:
        model = ApprovalItemRecord
        fields = [
            "code",
            "name",
            "path",
            "stage",
            "department",
            "department_code",
            "level",
            "delegated",
            "statutory_days",
            "statutory_unit",
            "statutory_source",
            "extension_days",
            "promised_days",
            "promised_unit",
            "promised_source",
            "prerequisites",
            "commitment",
            "regional_assessment",
            "tolerated_gap",
            "materials",
            "applies_when",
            "commitment_when",
            "waived_when",
            "description",
            "order",
            "active",
        ]
        widgets = {"applies_when": _CONDITION, "commitment_when": _CONDITION, "waived_when": _CONDITION}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        changes = self.changes()
        try:
            if self.instance.pk:
                changes.pop("code", None)
                services.catalogue_check(item=self.instance, changes=changes)
            else:
                services.catalogue_check(item=ApprovalItemRecord(**changes))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


class CalendarDayForm(VersionedForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "workday", "name", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day = cleaned.get("day")
        if day is None:
            return cleaned
        try:
            services.check_in_range(day)
        except DomainError as error:
            self.add_error("day", str(error))
            return cleaned
        official = self.instance.official if self.instance.pk else False
        clash = CalendarDay.objects.filter(day=day, official=official).exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error("day", f"{day} 已有一条{'放假通知中的' if official else ''}调整，请修改那一条")
        return cleaned


class NoticeLoadForm(forms.Form):
    """载入新一年放假安排: the notice's special days, pasted or uploaded as text, one per line."""

    year = forms.IntegerField(label="年份", min_value=2016, max_value=2035)
    notice = forms.CharField(label="通知文号", max_length=200, help_text="如 国办发明电〔2026〕X号")
    text = forms.CharField(
        label="放假与调休日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60, "class": "vLargeTextField"}),
        help_text=(
            "每行一个日期或日期范围、“休”或“班”、名称，例如：2027-02-06~2027-02-12 休 春节；"
            "2027-02-14 班 春节调休上班。以 # 开头的行为注释。"
        ),
    )
    upload = forms.FileField(
        label="或上传文本文件", required=False, help_text="UTF-8 或 GB18030 编码，格式同上"
    )
    note = forms.CharField(label="备注", max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            cleaned["text"] = _read_upload(upload)
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("请粘贴放假安排或上传文件")
        return cleaned


def _read_upload(upload) -> str:
    limit = min(_NOTICE_MAX_BYTES, getattr(settings, "UPLOAD_MAX_BYTES", _NOTICE_MAX_BYTES))
    if upload.size > limit:
        raise forms.ValidationError(f"文件过大（不能超过 {limit // 1024} KB）")
    data = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise forms.ValidationError("无法识别文件编码，请另存为 UTF-8 文本")


class LightRuleSettingForm(VersionedForm):
    rule_set = forms.ChoiceField(label="红绿灯规则集", choices=())

    class Meta:
        model = LightRuleSetting
        fields = ["rule_set"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = rule_set_choices()
