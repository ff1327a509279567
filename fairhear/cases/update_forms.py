"""The form for agreeing how often the complainant is updated (Pivotal §11.2 b and e; MMBM
§8.1.2; Code 5.9): every N working days, with the pack's suggestion as hint and first value."""

from __future__ import annotations

from django import forms

from fairhear.cases.forms import SHORT_TEXT, OccurredAtMixin
from fairhear.domain.policy.schema import PolicyPack
from fairhear.domain.updates import MAX_EVERY, MIN_EVERY, suggested_every, updates_cites

_RANGE = (
    f"Enter how many working days apart the updates will be, a whole number from {MIN_EVERY} "
    f"to {MAX_EVERY}"
)


class AgreeUpdatesForm(OccurredAtMixin):
    occurred_label = "When was it agreed?"
    every = forms.IntegerField(
        label="How many working days apart will the complainant be updated?",
        min_value=MIN_EVERY,
        max_value=MAX_EVERY,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3", "spellcheck": "false"}
        ),
        error_messages={
            "required": f"{_RANGE}.",
            "invalid": f"{_RANGE}, for example 5.",
            "min_value": f"{_RANGE}.",
            "max_value": f"{_RANGE}.",
        },
    )
    note = forms.CharField(
        label="What was agreed (optional)",
        widget=SHORT_TEXT,
        required=False,
        help_text="For example how they prefer to hear: by phone on Fridays.",
    )

    def __init__(self, *args: object, pack: PolicyPack, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        every = suggested_every(pack)
        cites = updates_cites(pack)
        policy = f"The policy asks for regular updates ({cites}); " if cites else ""
        self.fields["every"].initial = every
        self.fields["every"].help_text = (
            f"{policy}{every} is suggested, to agree with the complainant. Weekends and bank "
            "holidays do not count. The next update is due this many working days after the "
            "last letter, response or communication sent to them, even when there is no news."
        )
