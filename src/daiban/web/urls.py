"""Pages. The project page's and 我的待办's routes (views_project) sit in their own block below."""

from django.urls import path

from daiban.web import views, views_auth, views_import, views_list

urlpatterns = [
    path("", views_auth.root, name="home"),
    path("login/", views_auth.SignInView.as_view(), name="login"),
    path("logout/", views_auth.SignOutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("projects/", views_list.project_list, name="project_list"),
    path("projects/export/", views_list.project_list_export, name="project_list_export"),
    path("projects/import/", views_import.project_import, name="project_import"),
    path("projects/import/template/", views_import.project_import_template, name="project_import_template"),
]

# ---- project page, 我的待办 (views_project) ----
from daiban.web import views_project, views_todo  # noqa: E402

urlpatterns += [
    path("projects/<int:pk>/", views_project.project_detail, name="project_detail"),
    path("projects/<int:pk>/handbook.docx", views_project.project_handbook, name="project_handbook"),
    path("projects/<int:pk>/fragments/<slug:name>/", views_project.project_fragment, name="project_fragment"),
    path("projects/<int:pk>/fragments/cases/<int:case_pk>/", views_project.case_forms, name="case_forms"),
    path(
        "projects/<int:pk>/cases/<int:case_pk>/<slug:action>/", views_project.case_record, name="case_record"
    ),
    path("projects/<int:pk>/milestones/<slug:code>/", views_project.milestone_save, name="milestone_save"),
    path("projects/<int:pk>/investment/", views_project.investment_save, name="investment_save"),
    path("todo/", views_todo.todo, name="todo"),
]
