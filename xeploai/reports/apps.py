from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xeploai.reports"
    label = "reports"
