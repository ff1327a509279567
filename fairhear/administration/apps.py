from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "fairhear.administration"
    label = "administration"
