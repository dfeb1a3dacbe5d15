from django.urls import path, re_path

from daiban.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_index, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("report/", views.report_page, name="report"),
    re_path(r"^report\.(?P<fmt>docx|xlsx)$", views.report_file, name="report_file"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    re_path(r"^(?P<pk>\d+)/report\.(?P<fmt>docx|xlsx)$", views.meeting_report, name="meeting_report"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/decide/", views.item_decide, name="item_decide"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="action"),
]
