"""The approval catalogue (事项库), read-only: the items every handbook is tailored from."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from daiban.api.problems import errors
from daiban.catalogue.selectors import active_catalogue
from daiban.core.catalogue import ApprovalItem

router = Router(tags=["事项库"])
ItemCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="事项编码")]


class CatalogueItemOut(Schema):
    code: str
    name: str
    path: str
    stage: str
    stage_label: str
    department: str
    level: str
    delegated: bool
    statutory_days: int
    statutory_unit: str
    statutory_source: str
    extension_days: int
    promised_days: int
    promised_unit: str
    promised_source: str
    prerequisites: list[str]
    commitment: bool
    regional_assessment: bool
    tolerated_gap: bool
    materials: list[str]
    order: int
    description: str

    @staticmethod
    def resolve_stage_label(item: ApprovalItem) -> str:
        return item.stage_label


@router.get("", response={200: list[CatalogueItemOut], **errors()}, summary="全部审批事项（事项库顺序）")
def catalogue_items(request: HttpRequest):
    return list(active_catalogue())


@router.get("/{code}", response={200: CatalogueItemOut, **errors(404)}, summary="一个审批事项")
def catalogue_item(request: HttpRequest, code: ItemCode):
    catalogue = active_catalogue()
    if code not in catalogue:
        raise Http404(f"事项库中没有事项“{code}”")
    return catalogue.item(code)
