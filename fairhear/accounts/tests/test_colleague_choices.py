"""The colleagues a list can be narrowed to ("Handled by"): every active colleague of the
organisation and no other, by name, each named as everywhere else in Fairhear."""

from __future__ import annotations

import pytest

from fairhear.accounts.selectors import colleague_choices
from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_active_colleague_is_named_as_everywhere_else_and_sorted_by_name():
    org = OrganisationFactory()
    zoe = UserFactory(organisation=org, first_name="Zoe", last_name="Adams")
    ade = UserFactory(organisation=org, first_name="Ade", last_name="")
    nameless = UserFactory(organisation=org, first_name="", last_name="", username="ops-desk")
    UserFactory(organisation=org, first_name="Left", last_name="Us", is_active=False)
    UserFactory(organisation=OrganisationFactory(), first_name="Other", last_name="Org")

    choices = colleague_choices(organisation=org)

    assert choices == [
        (str(nameless.pk), "ops-desk"),
        (str(ade.pk), "Ade"),
        (str(zoe.pk), "Zoe Adams"),
    ]
    assert [name for _, name in choices] == [str(nameless), str(ade), str(zoe)]
