"""The NinjaAPI instance: auth, the error mapping, and every router mounted once."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger

from daiban.api import problems
from daiban.api.auth import api_auth

DESCRIPTION = """重大项目全程代办系统接口。

- 认证：接口令牌（请求头 `Authorization: Bearer dbn_…`，用 `daiban token create 用户名` 创建），
  或登录会话（写操作需在请求头 `X-CSRFToken` 中提供 CSRF 令牌）。
- 权限与页面相同：看不到的项目一律 404。
- 写操作带上读取时的 `version`；已被他人修改则返回 409，并说明由谁、何时修改。
- 错误以 `application/problem+json`（RFC 9457）返回，`detail` 为中文说明。
- 金额单位为万元，以两位小数的字符串表示。
"""


class DaibanAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any):
        """ninja documents every response as application/json; errors are sent as problem+json."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {problems.PROBLEM_JSON: content["application/json"]}
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


def build_api() -> DaibanAPI:
    from daiban.accounts.api import router as departments
    from daiban.api.calendar import router as calendar
    from daiban.api.catalogue import router as catalogue
    from daiban.api.dashboard import router as dashboard
    from daiban.approvals.api import router as cases
    from daiban.coordination.api import router as issues
    from daiban.investment.api import router as investment
    from daiban.meetings.api import router as meetings
    from daiban.notifications.api import router as notifications
    from daiban.policies.api import router as policies
    from daiban.projects.api import router as projects

    api = DaibanAPI(
        title="daiban API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        auth=api_auth(),
        docs=Swagger(settings={"persistAuthorization": False}),
    )
    problems.install(api)
    api.add_router("/projects", projects)
    api.add_router("/", cases)
    api.add_router("/", investment)
    api.add_router("/departments", departments)
    api.add_router("/catalogue", catalogue)
    api.add_router("/calendar", calendar)
    api.add_router("/dashboard", dashboard)
    api.add_router("/issues", issues)
    api.add_router("/meetings", meetings)
    api.add_router("/notifications", notifications)
    api.add_router("/policies", policies)
    return api


api = build_api()
