from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xeploai.web"
    label = "web"

    def ready(self):
        from xeploai.web import checks  # noqa: F401  (registers the deploy checks)
