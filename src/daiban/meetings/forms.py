"""Forms of the meeting pages: they parse; the rules are the services'."""

from __future__ import annotations

from django import forms

from daiban.accounts.models import Department, User
from daiban.coordination.models import IssueCategory
from daiban.meetings.models import DecisionKind
from daiban.meetings.selectors import attendee_choices
from daiban.projects.selectors import milestone_kind_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="会议日期", widget=DATE)
    period_from = forms.DateField(label="统计起日", widget=DATE, required=False)
    period_to = forms.DateField(label="统计止日", widget=DATE, required=False)
    title = forms.CharField(label="会议名称", max_length=200, required=False)
    location = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.CharField(label="主持人", max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label="参会人员（发布议程时通知）",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
    )
    attendees_note = forms.CharField(
        label="其他参会单位/人员", required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendee_choices()


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class HoldForm(VersionForm):
    summary = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea({"rows": 4}))


class AddItemForm(forms.Form):
    reason_text = forms.CharField(label="议题", max_length=500)


class DecideForm(VersionForm):
    discussion = forms.CharField(label="讨论情况", required=False, widget=forms.Textarea({"rows": 2}))
    kind = forms.ChoiceField(
        label="决定类型", choices=[("", "仅记录讨论情况"), *DecisionKind.choices], required=False
    )
    text = forms.CharField(label="决定内容", max_length=1000, required=False)
    department = forms.ModelChoiceField(
        label="责任单位", queryset=Department.objects.order_by("name"), required=False, empty_label="—"
    )
    deadline_days = forms.IntegerField(label="办理时限（工作日）", min_value=1, max_value=365, required=False)
    category = forms.ChoiceField(
        label="事项类别", choices=IssueCategory.choices, initial="other", required=False
    )
    milestone_code = forms.ChoiceField(label="承诺节点", choices=(), required=False)
    committed_on = forms.DateField(label="承诺日期", widget=DATE, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone_code"].choices = [("", "—")] + [
            (kind.code, kind.name) for kind in milestone_kind_list()
        ]
