from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "fairhear.alerts"
    label = "alerts"
    verbose_name = "Notifications"
