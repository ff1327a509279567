from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fairhear.core"
    label = "core"
