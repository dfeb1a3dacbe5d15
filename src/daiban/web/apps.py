from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "daiban.web"
    verbose_name = "页面"
