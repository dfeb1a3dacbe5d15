from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "daiban.approvals"
    label = "approvals"
    verbose_name = "审批办件"
