"""API of projects and their milestones: thin — parse, call one selector or service, answer with a schema.

Writes pass an unsaved ``Project(pk=…)``: every service re-reads the row under lock in the actor's scope, so a
project the caller may not see is a 404 from the service itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Amount, Area, Id, Money, PageParams, Ref, Year, page_of, ref, text
from daiban.core.catalogue import PROJECT_FACTS
from daiban.projects.choices import Category, Light
from daiban.projects.listing import (
    DEFAULT_SORT,
    SEARCH_MAX,
    SORTS,
    ProjectFilters,
    project_list_filter,
    project_list_order,
)
from daiban.projects.models import Project
from daiban.projects.selectors import milestone_table, project_get
from daiban.projects.services import milestone_record, project_update

router = Router(tags=["项目"])


def _choices(name: str) -> Any:
    return Literal[tuple(PROJECT_FACTS[name].choices)]


CategoryCode = Literal[tuple(Category.values)]
LightCode = Literal[tuple(Light.values)]
SortKey = Literal[tuple(key for name in SORTS for key in (name, f"-{name}"))]


# ---------------------------------------------------------------------------------------------- schemas


class ProjectListQuery(Schema):
    """The filters and sort of the project list page (项目清单), checked strictly (a bad value is a 422)."""

    year: Year | None = None
    category: CategoryCode | None = None
    industry: text(50) | None = None
    milestone: text(32) | None = Field(None, description="当前节点代码，如 started；none 表示尚无节点")
    light: LightCode | Literal["none"] | None = Field(None, description="红绿灯；none 表示尚未评估")
    butler: Id | None = Field(None, description="项目管家的用户 id")
    department: Id | None = Field(None, description="责任单位 id")
    q: text(SEARCH_MAX) | None = Field(None, description="按项目名称、项目代码或企业名称搜索")
    overdue: bool = Field(False, description="只看有逾期办件的项目")
    overdue_department: Id | None = Field(None, description="只看该审批部门有逾期办件的项目")
    sort: SortKey = Field(DEFAULT_SORT, description="排序字段，前加 - 为降序；默认按红绿灯")

    def filters(self) -> ProjectFilters:
        values = self.dict(exclude={"sort"}, exclude_none=True)  # absent: the selector's "any"
        return ProjectFilters(**values)


class EnterpriseRef(Ref):
    uscc: str
    high_tech: bool = Field(description="高新技术企业（企业信息，随企业维护）")


class ProjectListItemOut(Schema):
    id: int
    name: str
    project_code: str
    enterprise: EnterpriseRef | None
    category: str
    category_label: str
    industry: str
    year: int
    total_investment: Amount
    annual_plan: Amount
    current_milestone: str
    light: str
    butler: Ref | None
    responsible_department: Ref | None
    version: int

    @staticmethod
    def resolve_category_label(obj: Project) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_butler(obj: Project) -> dict | None:
        return ref(obj.butler)

    @staticmethod
    def resolve_responsible_department(obj: Project) -> dict | None:
        return ref(obj.responsible_department)


class ProjectPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProjectListItemOut]


class LightReasonOut(Schema):
    light: str
    rule: str
    text: str


class ProjectOut(ProjectListItemOut):
    location: str
    investment_type: str
    approval_mode: str
    project_type: str
    land_supply_mode: str
    low_risk: bool
    regional_assessment_done: bool
    eia_category: str
    needs_energy_review: bool
    needs_civil_air_defense: bool
    special_fire_project: bool
    building_area_m2: Area | None
    equipment_investment: Amount | None
    area: str
    specialists: list[Ref]
    planned_start_on: dt.date | None
    statistics_registered: bool
    notes: str
    light_reasons: list[LightReasonOut]
    light_updated_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_specialists(obj: Project) -> list[dict]:
        return [ref(user) for user in obj.specialists.all()]


class ProjectUpdateIn(Schema):
    """Only the fields sent are changed; ``version`` is the one the client read (stale → 409)."""

    version: int = Field(..., ge=1)
    name: text(200, min_length=1) | None = None
    project_code: text(24) | None = None
    category: CategoryCode | None = None
    industry: text(50) | None = None
    location: text(200) | None = None
    year: Year | None = None
    total_investment: Money | None = None
    annual_plan: Money | None = None
    investment_type: _choices("investment_type") | None = None
    approval_mode: _choices("approval_mode") | None = None
    project_type: _choices("project_type") | Literal[""] | None = None
    land_supply_mode: _choices("land_supply_mode") | Literal[""] | None = None
    low_risk: bool | None = None
    regional_assessment_done: bool | None = None
    eia_category: _choices("eia_category") | Literal[""] | None = None
    needs_energy_review: bool | None = None
    needs_civil_air_defense: bool | None = None
    special_fire_project: bool | None = None
    building_area_m2: Money | None = None
    equipment_investment: Money | None = Field(None, description="设备投资（万元）；null 清空")
    area: text(50) | None = Field(None, description="所在片区")
    planned_start_on: dt.date | None = None
    statistics_registered: bool | None = None
    notes: text(5000) | None = None
    butler_id: Id | None = Field(None, description="调整项目管家（管理员、调度）")
    responsible_department_id: Id | None = None

    def changes(self) -> dict[str, Any]:
        changes = self.dict(exclude_unset=True, exclude={"version"})
        if "area" in changes and changes["area"] is None:
            changes["area"] = ""  # Note: null clears the text field, which the model stores as "".
        return changes


class MilestoneOut(Schema):
    kind: str
    name: str
    order: int
    planned_on: dt.date | None
    actual_on: dt.date | None
    version: int | None = Field(None, description="尚未记录的节点为空")

    @staticmethod
    def resolve_kind(row) -> str:
        return row.kind.code

    @staticmethod
    def resolve_name(row) -> str:
        return row.kind.name

    @staticmethod
    def resolve_order(row) -> int:
        return row.kind.order

    @staticmethod
    def resolve_version(row) -> int | None:
        return row.milestone.version if row.milestone else None


class MilestoneIn(Schema):
    kind: text(32, min_length=1) = Field(..., description="节点代码，如 signed、started")
    planned_on: dt.date | None = None
    actual_on: dt.date | None = None
    version: int | None = Field(None, ge=1, description="已有节点的版本；首次记录时留空")


class MilestoneRecordedOut(Schema):
    kind: str
    planned_on: dt.date | None
    actual_on: dt.date | None
    version: int

    @staticmethod
    def resolve_kind(milestone) -> str:
        return milestone.kind.code


# ---------------------------------------------------------------------------------------------- endpoints


@router.get("", response={200: ProjectPageOut, **errors()}, summary="项目清单（分页、筛选）")
def project_list(request: HttpRequest, query: Query[ProjectListQuery], page: Query[PageParams]):
    projects, _ = project_list_order(
        project_list_filter(user=request.auth, filters=query.filters()), query.sort
    )
    # Note: the related rows every item shows, joined once instead of queried per item.
    return page_of(projects.select_related("enterprise", "butler", "responsible_department"), page)


@router.get("/{project_id}", response={200: ProjectOut, **errors(404)}, summary="项目详情")
def project_detail(request: HttpRequest, project_id: Id):
    return project_get(user=request.auth, pk=project_id)


@router.patch(
    "/{project_id}", response={200: ProjectOut, **errors(400, 403, 404, 409)}, summary="修改项目（带版本号）"
)
def project_change(request: HttpRequest, project_id: Id, payload: ProjectUpdateIn):
    return project_update(
        actor=request.auth,
        project=Project(pk=project_id),
        expected_version=payload.version,
        **payload.changes(),
    )


@router.get(
    "/{project_id}/milestones",
    response={200: list[MilestoneOut], **errors(404)},
    summary="项目节点（一链式）",
)
def milestone_list(request: HttpRequest, project_id: Id):
    return milestone_table(user=request.auth, project=Project(pk=project_id))


@router.post(
    "/{project_id}/milestones",
    response={200: MilestoneRecordedOut, **errors(400, 403, 404, 409)},
    summary="记录节点的计划或实际日期",
)
def milestone_change(request: HttpRequest, project_id: Id, payload: MilestoneIn):
    return milestone_record(
        actor=request.auth,
        project=Project(pk=project_id),
        kind_code=payload.kind,
        planned_on=payload.planned_on,
        actual_on=payload.actual_on,
        expected_version=payload.version,
    )
