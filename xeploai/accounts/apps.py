from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xeploai.accounts"
    label = "accounts"
