from django.contrib import admin
from django.urls import path

from daiban.web import views

admin.site.site_header = "daiban 重大项目全程代办系统"
admin.site.site_title = "daiban 管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
]
