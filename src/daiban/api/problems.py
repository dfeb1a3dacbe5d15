"""Errors of the API as problem details (RFC 9457), mapped once for every endpoint.

| raised                                    | status | type (urn:daiban:problem:…) |
|-------------------------------------------|--------|-----------------------------|
| DomainError (a broken domain rule)        | 400    | domain-rule                 |
| not signed in / bad token                 | 401    | unauthenticated             |
| NotPermitted, PermissionDenied, CSRF      | 403    | not-permitted               |
| DoesNotExist, Http404 (also out of scope) | 404    | not-found                   |
| ConcurrentEditError                       | 409    | version-conflict            |
| request does not fit the schema           | 422    | validation                  |

``detail`` is Chinese and meant for the person using the client. A row outside the user's scope is a 404
with the same words as a row that does not exist: the answer never confirms that it exists.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from daiban.accounts.permissions import NotPermitted
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger(__name__)

TITLES = {
    400: ("domain-rule", "不符合业务规则"),
    401: ("unauthenticated", "未登录或令牌无效"),
    403: ("not-permitted", "没有权限"),
    404: ("not-found", "未找到"),
    405: ("method-not-allowed", "不支持的请求方法"),
    409: ("version-conflict", "数据已被他人修改"),
    422: ("validation", "请求参数有误"),
    429: ("throttled", "请求过于频繁"),
}


class FieldProblem(Schema):
    field: str
    location: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` only for 422, the ``current_version`` trio only for 409."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None
    current_version: int | None = None
    changed_by: str | None = None
    changed_at: dt.datetime | None = None


def problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> JsonResponse:
    slug, title = TITLES.get(status, ("error", "请求失败"))
    body = {
        "type": f"urn:daiban:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="daiban"'
    return response


def errors(*codes: int) -> dict[int, type[Problem]]:
    """The documented error responses of an operation: ``response={200: Out, **errors(404, 409)}``.

    401 and 422 are added to every operation (any request may lack credentials or break the schema).
    """
    return dict.fromkeys(sorted({401, 422, *codes}), Problem)


# ---------------------------------------------------------------------------------------------- handlers


def on_domain_error(request: HttpRequest, exc: DomainError) -> JsonResponse:
    return problem(request, 400, str(exc))


def on_not_permitted(request: HttpRequest, exc: Exception) -> JsonResponse:
    return problem(request, 403, str(exc) or "您没有执行此操作的权限")


def on_conflict(request: HttpRequest, exc: ConcurrentEditError) -> JsonResponse:
    changed_at = timezone.localtime(exc.changed_at) if exc.changed_at else None
    return problem(
        request,
        409,
        str(exc),
        current_version=exc.current_version,
        changed_by=exc.changed_by,
        changed_at=changed_at.isoformat() if changed_at else None,
    )


def on_missing(request: HttpRequest, exc: Exception) -> JsonResponse:
    # Note: a DoesNotExist message may name the row (e.g. its id); the answer uses the model's name only.
    if isinstance(exc, Http404) and str(exc):
        return problem(request, 404, str(exc))
    return problem(request, 404, f"{_missing_label(exc)}不存在，或不在您的查看范围内")


def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
    return problem(request, 401, "请先登录，或在请求头 Authorization 中提供有效的接口令牌（Bearer）")


def on_http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    # Note: ninja's own messages are English; the ones a client can provoke are said again in Chinese.
    detail = {
        400: "请求体无法解析，应为 JSON",
        401: "请先登录，或提供有效的接口令牌",
        403: "没有权限",
        404: "未找到",
        429: "请求过于频繁，请稍后再试",
    }.get(exc.status_code, str(exc))
    return problem(request, exc.status_code, detail)


def on_validation_error(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    fields = [_field_problem(error) for error in exc.errors]
    detail = "；".join(
        f"{item['field']}：{item['message']}" if item["field"] else item["message"] for item in fields
    )
    return problem(request, 422, detail or "请求参数有误", errors=fields)


HANDLERS = [
    (DomainError, on_domain_error),
    (NotPermitted, on_not_permitted),
    (PermissionDenied, on_not_permitted),
    (ConcurrentEditError, on_conflict),
    (ObjectDoesNotExist, on_missing),
    (Http404, on_missing),
    (HttpError, on_http_error),
    (AuthenticationError, on_unauthenticated),
    (ValidationError, on_validation_error),
]


def install(api) -> None:
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)


def _missing_label(exc: Exception) -> str:
    for model in apps.get_models():
        if type(exc) is model.DoesNotExist:
            return str(model._meta.verbose_name)
    return "记录"


# ------------------------------------------------------------------------------------------- 422 in Chinese

_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_unicode": "应为有效的文本",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON",
    "extra_forbidden": "不允许的字段",
    "string_pattern_mismatch": "格式不正确",
    "value_error": "取值无效",
}
_BOUNDS = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
}


def _field_problem(error: dict[str, Any]) -> dict[str, str]:
    loc = [str(part) for part in error.get("loc", ())]
    location = loc[0] if loc else ""
    # ninja puts the body under the parameter's name (body → payload → field); the client knows only "field".
    names = [part for part in loc[1:] if part not in ("payload", "filters", "__root__")]
    return {"field": ".".join(names), "location": location, "message": _message(error)}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error" and error.get("ctx", {}).get("error"):
        return str(error["ctx"]["error"])  # our own validators raise ValueError with a Chinese message
    if kind in _BOUNDS:
        try:
            return _BOUNDS[kind].format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            pass
    return _MESSAGES.get(kind, "取值无效")
