"""Forms of the policy pages: they only parse; the rules (rule language, transitions) are the services'."""

from __future__ import annotations

from django import forms

from daiban.core.policy import BENEFIT_KINDS, ENTERPRISE_FACTS, LEVELS, PROJECT_FACTS
from daiban.web.forms import DATE, VersionedForm

MONEY = {"min_value": 0, "max_digits": 16, "decimal_places": 2}
BASES = [("", "（不适用）")] + [
    (name, field.label)
    for name, field in (ENTERPRISE_FACTS | PROJECT_FACTS).items()
    if field.type == "decimal"
]


class PolicyForm(VersionedForm):
    name = forms.CharField(label="政策名称", max_length=200)
    issuer = forms.CharField(label="发文单位", max_length=200)
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    valid_from = forms.DateField(label="有效期起", widget=DATE)
    valid_to = forms.DateField(label="有效期止", required=False, widget=DATE)
    description = forms.CharField(label="政策说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(label="适用对象", choices=LEVELS)
    benefit_kind = forms.ChoiceField(label="兑现方式", choices=BENEFIT_KINDS)
    rate = forms.DecimalField(
        label="比例（0.1 即 10%）", required=False, min_value=0, max_value=1, max_digits=7, decimal_places=4
    )
    cap = forms.DecimalField(label="上限（万元）", required=False, **MONEY)
    fixed_amount = forms.DecimalField(label="定额（万元）", required=False, **MONEY)
    base_fact = forms.ChoiceField(label="计算基数", choices=BASES, required=False)
    rule = forms.CharField(
        label="适用条件（YAML）",
        widget=forms.Textarea(attrs={"rows": 10, "class": "code", "spellcheck": "false"}),
    )
    no_application = forms.BooleanField(label="免申即享（依据已有数据直接兑现，无需申报）", required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ApplyForm(VersionedForm):
    applied_on = forms.DateField(label="申报日期", widget=DATE)


class ApproveForm(VersionedForm):
    approved_on = forms.DateField(label="审核日期", widget=DATE)
    approved_amount = forms.DecimalField(label="核定金额（万元）", **MONEY)


class PayForm(VersionedForm):
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    paid_amount = forms.DecimalField(label="拨付金额（万元）", **MONEY)
