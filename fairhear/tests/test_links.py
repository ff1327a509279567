"""links.path_maker: a page's many links to one view, from one reverse(), are the addresses
reverse() itself gives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairhear.links import path_maker


@pytest.mark.parametrize(
    ("viewname", "fixed", "last"),
    [
        ("cases:detail", (), "C-2026-7KX-M2Q"),
        ("cases:action", ("C-2026-7KX-M2Q",), "record_managers_told"),
        ("intake:step", ("bench-pivotal",), "contact"),
    ],
)
def test_each_link_is_the_address_reverse_gives(viewname, fixed, last):
    assert path_maker(viewname, *fixed)(last) == reverse(viewname, args=[*fixed, last])


def test_a_value_a_url_cannot_hold_as_it_is_is_quoted_as_reverse_quotes_it():
    assert path_maker("cases:detail")("C 2026 é") == reverse("cases:detail", args=["C 2026 é"])
