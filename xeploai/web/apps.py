from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xeploai.web"
    label = "web"
