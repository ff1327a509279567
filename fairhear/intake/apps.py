from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fairhear.intake"
    label = "intake"
    verbose_name = "Public form, triage and track my case"
