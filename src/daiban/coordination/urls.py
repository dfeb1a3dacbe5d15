from django.urls import path

from daiban.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.issue_list, name="list"),
    path("new/", views.issue_new, name="new"),
    path("project/<int:pk>/", views.project_issues, name="project"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
    path("<int:pk>/attachments/", views.attachment_add, name="attach"),
    path("<int:pk>/<slug:action>/", views.issue_action, name="action"),
]
