"""Organisation settings, logo and closure days: saved, checked and recorded in the log."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse

from fairhear.accounts.models import AdministrativeChange, ClosureDay
from fairhear.accounts.selectors import organisation_calendar
from fairhear.domain.calendar import Nation

SETTINGS = {
    "name": "Pivotal Housing",
    "nation": "scotland",
    "homes_lcra": "1200",
    "homes_lcho": "300",
    "address": "1 High Street\nLeeds\nLS1 1AA",
    "phone": "0113 496 0000",
    "email": "complaints@pivotal.example",
    "website": "https://pivotal.example",
    "brand_colour": "#106165",
}
# The eight bytes every PNG begins with, then enough of a header to look like one.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_settings_are_saved_and_the_change_is_logged_with_before_and_after(
    admin_client, org, admin
):
    response = admin_client.post(reverse("administration:organisation"), SETTINGS)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.nation, org.homes_lcra, org.homes_lcho) == ("scotland", 1200, 300)
    assert org.address == "1 High Street\nLeeds\nLS1 1AA"
    assert (org.phone, org.email, org.website) == (
        "0113 496 0000",
        "complaints@pivotal.example",
        "https://pivotal.example",
    )
    assert org.brand_colour == "#106165"
    change = AdministrativeChange.objects.get(organisation=org, what="organisation.settings")
    assert change.actor == admin
    assert change.before["nation"] == "england-and-wales"
    assert change.after["nation"] == "scotland"
    assert change.before["homes_lcra"] == 0
    assert change.after["homes_lcra"] == 1200
    # The name did not change, so the log does not claim it did.
    assert "name" not in change.after
    page = admin_client.get(reverse("administration:changes")).content.decode()
    assert "Ash Administrator" in page
    assert "Nation: england-and-wales → scotland" in page


def test_the_nation_changes_which_bank_holidays_are_working_days(admin_client, org):
    # St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland only.
    assert organisation_calendar(org).is_working_day(date(2026, 11, 30))
    admin_client.post(reverse("administration:organisation"), SETTINGS)
    org.refresh_from_db()
    assert org.nation == Nation.SCOTLAND.value
    assert not organisation_calendar(org).is_working_day(date(2026, 11, 30))


@pytest.mark.parametrize(
    ("colour", "saved"),
    [
        ("#000000", "#000000"),  # 21 to 1
        ("#767676", "#767676"),  # 4.54 to 1, the lightest grey that passes
        ("#FFF", None),  # 1 to 1
        ("#777777", None),  # 4.48 to 1
    ],
)
def test_a_brand_colour_needs_enough_contrast_for_white_text(admin_client, org, colour, saved):
    response = admin_client.post(
        reverse("administration:organisation"), {**SETTINGS, "brand_colour": colour}
    )
    org.refresh_from_db()
    if saved:
        assert response.status_code == 302
        assert org.brand_colour == saved
    else:
        assert response.status_code == 400
        assert "needs at least 4.5 to 1 to be readable" in response.content.decode()
        assert org.brand_colour == ""
        assert org.nation == "england-and-wales"  # nothing of a refused form is saved


def test_a_brand_colour_that_is_not_a_hex_code_says_how_to_write_it(admin_client, org):
    response = admin_client.post(
        reverse("administration:organisation"), {**SETTINGS, "brand_colour": "teal"}
    )
    assert response.status_code == 400
    assert "a # and six digits or letters a to f" in response.content.decode()


def test_a_png_logo_is_stored_and_served_as_an_image(admin_client, org):
    upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    response = admin_client.post(reverse("administration:logo"), {"logo": upload})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("logos/pivotal-")
    assert org.logo.name.endswith(".png")
    with default_storage.open(org.logo.name) as stored:
        assert stored.read() == PNG
    served = admin_client.get(reverse("administration:logo_file"))
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert AdministrativeChange.objects.filter(what="organisation.logo").count() == 1


def test_a_logo_is_checked_by_its_content_not_its_name(admin_client, org):
    fake = SimpleUploadedFile("logo.png", b"<svg onload='alert(1)'/>", content_type="image/png")
    response = admin_client.post(reverse("administration:logo"), {"logo": fake})
    assert response.status_code == 400
    assert "must be a PNG or JPEG image; this file is not one" in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


def test_a_logo_larger_than_1000_kb_is_refused_with_its_size(admin_client, org):
    big = SimpleUploadedFile("logo.png", PNG + b"\x00" * 1_000_000, content_type="image/png")
    response = admin_client.post(reverse("administration:logo"), {"logo": big})
    assert response.status_code == 400
    # 72 + 1,000,000 bytes, rounded up to whole KB: 1,001 KB.
    assert "1,000 KB or smaller; this file is 1,001 KB" in response.content.decode()


def test_closure_days_are_added_once_and_removed(admin_client, org):
    url = reverse("administration:closure_days")
    admin_client.post(url, {"day": "2026-12-29", "reason": "Christmas closure"})
    again = admin_client.post(url, {"day": "2026-12-29", "reason": ""})
    assert again.status_code == 400
    assert "29 December 2026 is already a closure day" in again.content.decode()
    assert ClosureDay.objects.filter(organisation=org).count() == 1
    # Tuesday 29 December 2026 is a weekday and no bank holiday: only the closure stops it.
    assert not organisation_calendar(org).is_working_day(date(2026, 12, 29))
    admin_client.post(reverse("administration:closure_day_delete", args=["2026-12-29"]))
    assert organisation_calendar(org).is_working_day(date(2026, 12, 29))
    summaries = list(
        AdministrativeChange.objects.filter(what="organisation.closure_day")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Added the closure day 29 December 2026",
        "Removed the closure day 29 December 2026",
    ]


def test_the_change_log_cannot_be_edited_or_deleted(admin_client, org):
    admin_client.post(reverse("administration:organisation"), SETTINGS)
    change = AdministrativeChange.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AdministrativeChange.objects.filter(pk=change.pk).update(summary="Nothing happened")
    with pytest.raises(DatabaseError), transaction.atomic():
        AdministrativeChange.objects.filter(pk=change.pk).delete()
    assert AdministrativeChange.objects.get().summary == change.summary
