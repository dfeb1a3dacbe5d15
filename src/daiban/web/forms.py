"""Forms of the project page: each records one event through one service and carries the row's version.

A form only parses (dates, numbers, choices); the rules (order of events, limits, permissions) are the
services'. ``version`` is the version of the row the user saw; empty means "there was no row", sent to the
services as 0 so a row created meanwhile by someone else is reported as a concurrent edit, never overwritten.
"""

from __future__ import annotations

from django import forms

from daiban.approvals.models import CaseResult, SuspensionReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class VersionedForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    @property
    def expected_version(self) -> int:
        """The version the user saw (0: no row existed when the form was shown)."""
        return self.cleaned_data.get("version") or 0


class SubmissionForm(VersionedForm):
    submitted_on = _date("申报日期")


class AcceptanceForm(VersionedForm):
    accepted_on = _date("受理日期")


class SuspendForm(VersionedForm):
    start = _date("挂起开始")
    reason = forms.ChoiceField(label="挂起原因", choices=SuspensionReason.choices)
    note = forms.CharField(label="备注", max_length=300, required=False)


class ResumeForm(VersionedForm):
    end = _date("恢复日期")


class ExtendForm(VersionedForm):
    days = forms.IntegerField(label="延期天数", min_value=1, max_value=365)


class DecisionForm(VersionedForm):
    decided_on = _date("办结日期")
    result = forms.ChoiceField(label="办理结果", choices=CaseResult.choices, initial=CaseResult.APPROVED)
    commitment_used = forms.BooleanField(label="采用告知承诺", required=False)


class MilestoneForm(VersionedForm):
    planned_on = _date("计划日期", required=False)
    actual_on = _date("实际日期", required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("planned_on") and not data.get("actual_on"):
            raise forms.ValidationError("请填写计划日期或实际日期")
        return data


class InvestmentForm(VersionedForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, widget=forms.HiddenInput)
    amount = forms.DecimalField(label="当月完成投资（万元）", min_value=0, max_digits=16, decimal_places=2)
    funds_in_place = forms.DecimalField(
        label="当月到位资金（万元）", min_value=0, max_digits=16, decimal_places=2
    )


def form_errors(form: forms.Form) -> str:
    """All of a form's errors as one Chinese line: "受理日期：请输入一个有效的日期。"."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)
