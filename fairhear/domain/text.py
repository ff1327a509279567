"""How long a piece of text a person may give Fairhear, and the message when it is longer.

The case history is append-only, so a text once recorded is shown on its case's page for
ever: every text has a limit, generous for a person typing (a 10,000-character note is about
four pages) and small enough that no page becomes too heavy to open.
"""

from __future__ import annotations

# A note, summary, reasons, decision or explanation.
TEXT_LIMIT = 10_000
# A one-line answer (an outstanding action, a job title).
LINE_LIMIT = 500
# The columns that hold a name, a phone number and an e-mail address.
NAME_LIMIT = 200
PHONE_LIMIT = 50
EMAIL_LIMIT = 254


def too_long(value: str, *, what: str, limit: int = TEXT_LIMIT) -> str | None:
    """The message for a text longer than `limit` ("Note must be 10,000 characters or fewer;
    it is 12,345."), or None when it fits."""
    if len(value) <= limit:
        return None
    return (
        f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer; it is {len(value):,}."
    )
