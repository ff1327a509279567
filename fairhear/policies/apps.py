from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "fairhear.policies"
    label = "policies"
