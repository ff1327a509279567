"""The colleague's own account and two-factor sign-in."""

from django.urls import path

from fairhear.accounts import views

urlpatterns = [
    path("sign-in/code/", views.verify, name="two_factor_verify"),
    path("account/", views.account, name="account"),
    path("account/two-factor/set-up/", views.set_up, name="two_factor_set_up"),
    path(
        "account/two-factor/recovery-codes/",
        views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("account/two-factor/remove/", views.remove, name="two_factor_remove"),
]
