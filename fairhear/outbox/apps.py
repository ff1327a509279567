from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "fairhear.outbox"
    label = "outbox"
