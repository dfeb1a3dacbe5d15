from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "daiban.notifications"
    verbose_name = "消息通知"
