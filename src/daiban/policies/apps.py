from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "daiban.policies"
    verbose_name = "惠企政策"
