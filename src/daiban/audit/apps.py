from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "daiban.audit"
    label = "audit"
    verbose_name = "审计"
