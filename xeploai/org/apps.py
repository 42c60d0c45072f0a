from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xeploai.org"
    label = "org"
