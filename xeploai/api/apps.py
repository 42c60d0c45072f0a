from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xeploai.api"
    label = "api"
