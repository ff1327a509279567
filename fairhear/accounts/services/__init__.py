"""Every administrative write to organisations, service areas and colleagues. Each is
keyword-only and typed, runs in one durable transaction with its row in the administrative
change log (accounts.audit), and refuses bad input with AdministrationError in plain words."""

from fairhear.accounts.services.colleagues import (
    colleague_invite,
    colleague_resend_invitation,
    colleague_set_active,
    colleague_update,
)
from fairhear.accounts.services.organisation import (
    SETTINGS_FIELDS,
    AdministrationError,
    closure_day_add,
    closure_day_remove,
    organisation_remove_logo,
    organisation_set_logo,
    organisation_update,
    service_area_save,
)

__all__ = [
    "SETTINGS_FIELDS",
    "AdministrationError",
    "closure_day_add",
    "closure_day_remove",
    "colleague_invite",
    "colleague_resend_invitation",
    "colleague_set_active",
    "colleague_update",
    "organisation_remove_logo",
    "organisation_set_logo",
    "organisation_update",
    "service_area_save",
]
