from django.urls import path

from daiban.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_index, name="list"),
    path("new/", views.policy_edit, name="new"),
    path("load-examples/", views.policy_load_examples, name="load_examples"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("match/<int:pk>/<slug:action>/", views.match_record, name="match_record"),
    path("project/<int:pk>/", views.project_policies, name="project"),
]
