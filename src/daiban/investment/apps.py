from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "daiban.investment"
    label = "investment"
    verbose_name = "投资"
