from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fairhear.notifications"
    label = "notifications"
