"""API of departments (read-only: departments are kept by administrators in the admin screens)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from daiban.accounts.selectors import department_list
from daiban.api.problems import errors

router = Router(tags=["部门"])


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    level: str
    phone: str

    @staticmethod
    def resolve_kind_label(department) -> str:
        return department.get_kind_display()


@router.get("", response={200: list[DepartmentOut], **errors()}, summary="部门（审批部门与责任单位）")
def departments(request: HttpRequest):
    return department_list()
