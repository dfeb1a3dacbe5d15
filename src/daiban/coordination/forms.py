"""Forms of the issue pages: they only parse; the rules are the services'."""

from __future__ import annotations

from django import forms

from daiban.accounts.models import Department, User
from daiban.coordination.models import IssueCategory, IssueStatus
from daiban.coordination.services.lifecycle import MAX_DEADLINE_DAYS
from daiban.web.forms import VersionedForm

LIGHT_CHOICES = [("red", "逾期"), ("yellow", "即将到期"), ("green", "正常"), ("none", "已办结")]
STATUS_CHOICES = [("active", "未办结（待办+办理中）"), *IssueStatus.choices]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        department = f"（{obj.department}）" if obj.department_id else ""
        return f"{obj.display_name}{department} · {obj.get_role_display()}"


class IssueForm(forms.Form):
    title = forms.CharField(label="事项标题", max_length=200)
    category = forms.ChoiceField(label="类别", choices=IssueCategory.choices)
    department = forms.ModelChoiceField(label="责任单位", queryset=Department.objects.order_by("name"))
    assignee = StaffChoiceField(
        label="责任人",
        required=False,
        queryset=User.objects.filter(
            is_active=True, role__in=("specialist", "butler", "dispatcher")
        ).select_related("department"),
        empty_label="不指定（由责任单位的服务专员办理）",
        help_text="不指定时，由责任单位的服务专员办理",
    )
    deadline_days = forms.IntegerField(
        label="办理时限（工作日）", min_value=1, max_value=MAX_DEADLINE_DAYS, initial=5
    )
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(VersionedForm):
    resolution = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(VersionedForm):
    reason = forms.CharField(label="重新打开原因", max_length=300)


class CommentForm(forms.Form):
    body = forms.CharField(label="评论", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")


class FilterForm(forms.Form):
    """The list's filters (GET); invalid values are ignored rather than shown as errors."""

    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", "全部"), *STATUS_CHOICES])
    light = forms.ChoiceField(required=False, choices=[("", "全部"), *LIGHT_CHOICES])
    escalated = forms.ChoiceField(
        required=False, choices=[("", "全部"), ("1", "已升级督办"), ("0", "未升级")]
    )
    category = forms.ChoiceField(required=False, choices=[("", "全部"), *IssueCategory.choices])
    department = forms.ModelChoiceField(required=False, queryset=Department.objects.all(), empty_label="全部")
    project = forms.IntegerField(required=False, min_value=1)
