from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "daiban.meetings"
    verbose_name = "调度会"
