from django.contrib import admin
from django.urls import include, path

from daiban.api import api

admin.site.site_header = "daiban 重大项目全程代办系统"
admin.site.site_title = "daiban 管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("issues/", include("daiban.coordination.urls")),
    path("inbox/", include("daiban.notifications.urls")),
    path("policies/", include("daiban.policies.urls")),
    path("meetings/", include("daiban.meetings.urls")),
    path("", include("daiban.web.urls")),
]
