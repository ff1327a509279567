"""Administration URLs (Fairhear's own pages, not Django's admin)."""

from django.urls import path

from fairhear.administration.views import log, people, policy, settings

app_name = "administration"

urlpatterns = [
    path("", settings.index, name="index"),
    path("organisation/", settings.organisation, name="organisation"),
    path("organisation/logo/", settings.logo, name="logo"),
    path("organisation/logo/image/", settings.logo_file, name="logo_file"),
    path("organisation/closure-days/", settings.closure_days, name="closure_days"),
    path(
        "organisation/closure-days/<str:day>/remove/",
        settings.closure_day_delete,
        name="closure_day_delete",
    ),
    path("service-areas/", settings.service_areas, name="service_areas"),
    path("service-areas/<int:pk>/", settings.service_area, name="service_area"),
    path("categories/", settings.categories, name="categories"),
    path("colleagues/", people.colleagues, name="colleagues"),
    path("colleagues/invite/", people.invite, name="invite"),
    path("colleagues/<str:username>/", people.colleague, name="colleague"),
    path("colleagues/<str:username>/active/", people.colleague_active, name="colleague_active"),
    path(
        "colleagues/<str:username>/two-factor/reset/",
        people.colleague_two_factor_reset,
        name="colleague_two_factor_reset",
    ),
    path("colleagues/<str:username>/resend/", people.colleague_resend, name="colleague_resend"),
    path("policy/", policy.policy, name="policy"),
    path("policy/review/", policy.policy_review, name="policy_review"),
    path("policy/<int:pk>/", policy.policy_version, name="policy_version"),
    path("policy/<int:pk>/activate/", policy.policy_activate, name="policy_activate"),
    path("changes/", log.changes, name="changes"),
]
