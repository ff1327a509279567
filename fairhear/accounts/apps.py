from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairhear.accounts"
    label = "accounts"
