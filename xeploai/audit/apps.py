from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xeploai.audit"
    label = "audit"
