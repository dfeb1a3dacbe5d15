"""The catalogue (事项库), the working-day calendar's admin changes and the active light rule set, as data.

The shipped files (reference/catalogue.yaml, holidays.json, light_rules.yaml) stay the source of the defaults;
these tables hold what the district's administrators changed. Writes go through ``catalogue.services`` (which
validate the whole catalogue or calendar and write the audit trail); reads through ``catalogue.selectors``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from daiban.audit.models import Tracked
from daiban.core.catalogue import DAY_UNITS, LEVELS, PATHS, STAGES

LIVE = Q(deleted_at__isnull=True)


class ApprovalItemRecord(Tracked):
    """One approval item of the catalogue; the fields of core.catalogue.ApprovalItem, editable."""

    code = models.CharField("事项编码", max_length=64, help_text="英文字母、数字和下划线；创建后不可修改")
    name = models.CharField("事项名称", max_length=200)
    path = models.CharField("适用路径", max_length=16, choices=list(PATHS.items()), default="both")
    stage = models.CharField("审批阶段", max_length=24, choices=list(STAGES.items()))
    department = models.CharField("审批部门", max_length=100, help_text="部门全称，与“部门”表中的名称一致")
    department_code = models.CharField("部门代码", max_length=32, blank=True)
    level = models.CharField("审批层级", max_length=16, choices=list(LEVELS.items()), default="district")
    delegated = models.BooleanField("已赋权区级办理", default=False)
    statutory_days = models.PositiveIntegerField("法定时限")
    statutory_unit = models.CharField(
        "法定时限单位", max_length=16, choices=list(DAY_UNITS.items()), default="working_days"
    )
    statutory_source = models.CharField(
        "法定时限依据", max_length=300, help_text="法律及条款；无确切依据时写 district default"
    )
    extension_days = models.PositiveIntegerField("可延长时限", default=0)
    promised_days = models.PositiveIntegerField("承诺时限")
    promised_unit = models.CharField(
        "承诺时限单位", max_length=16, choices=list(DAY_UNITS.items()), default="working_days"
    )
    promised_source = models.CharField("承诺时限依据", max_length=300)
    prerequisites = models.JSONField("前置事项", default=list, blank=True)
    commitment = models.BooleanField("可告知承诺", default=False)
    regional_assessment = models.BooleanField("可由区域评估替代", default=False)
    tolerated_gap = models.BooleanField("可容缺受理", default=False)
    materials = models.JSONField("申请材料", default=list, blank=True)
    applies_when = models.TextField("适用条件", blank=True, help_text="规则语言（YAML）；留空表示总是适用")
    commitment_when = models.TextField(
        "告知承诺条件", blank=True, help_text="规则语言（YAML）；留空表示可告知承诺时总是适用"
    )
    waived_when = models.TextField("免办条件", blank=True, help_text="规则语言（YAML）；留空表示不免办")
    description = models.TextField("说明", blank=True)
    order = models.IntegerField("排序", default=0, help_text="事项库中的顺序，小的在前")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "审批事项"
        verbose_name_plural = "事项库（审批事项）"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=LIVE, name="catalogue_item_code_unique_live"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CalendarYear(Tracked):
    """A year whose State Council notice (放假通知) an admin loaded: the year is official from then on."""

    year = models.PositiveIntegerField("年份")
    notice = models.CharField("通知文号", max_length=200, help_text="如 国办发明电〔2026〕X号")
    loaded_at = models.DateTimeField("载入时间")
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "放假安排（年度）"
        verbose_name_plural = "放假安排（年度）"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=LIVE, name="calendar_year_unique_live"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"


class CalendarDay(Tracked):
    """One day that differs from the default calendar.

    ``official`` rows are the days of a loaded notice (their year has a CalendarYear); the others are an
    admin's local change of one day (a local 调休, a typhoon closure) and win over the notice.
    """

    day = models.DateField("日期")
    workday = models.BooleanField("上班", help_text="勾选为工作日（上班），不勾选为休息日")
    name = models.CharField("名称", max_length=100, help_text="如 春节、春节调休上班、台风停工")
    note = models.CharField("备注", max_length=300, blank=True)
    official = models.BooleanField("来自放假通知", default=False, editable=False)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["-day", "official"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "official"], condition=LIVE, name="calendar_day_unique_live"
            ),
        ]

    def __str__(self) -> str:
        kind = "上班" if self.workday else "休息"
        return f"{self.day.isoformat()} {kind} {self.name}"


class LightRuleSetting(Tracked):
    """Which traffic-light rule set (reference/light_rules.yaml) the daily tick applies; one row."""

    rule_set = models.CharField("红绿灯规则集", max_length=64, default="default")

    class Meta:
        verbose_name = "红绿灯规则设置"
        verbose_name_plural = "红绿灯规则设置"

    def __str__(self) -> str:
        return f"红绿灯规则集：{self.rule_set}"
