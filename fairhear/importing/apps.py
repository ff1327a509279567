from django.apps import AppConfig


class ImportingConfig(AppConfig):
    name = "fairhear.importing"
    label = "importing"
