from django.apps import AppConfig


class MailinConfig(AppConfig):
    name = "fairhear.mailin"
    label = "mailin"
