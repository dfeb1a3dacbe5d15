from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "daiban.projects"
    label = "projects"
    verbose_name = "项目"
