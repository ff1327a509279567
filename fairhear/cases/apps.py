from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fairhear.cases"
    label = "cases"
