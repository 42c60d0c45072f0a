from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "xeploai.cycles"
    label = "cycles"
