from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairhear.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from fairhear.accounts.two_factor import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="fairhear-two-factor-sign-in")
