from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "daiban.coordination"
    verbose_name = "协调事项"
