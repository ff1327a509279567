"""The period and filters of the Reports page, read from its query string."""

from __future__ import annotations

from datetime import date

from django import forms

from fairhear.core.date_input import DayField
from fairhear.domain.kpis import By, date_out_of_range
from fairhear.reporting.board import (
    EXAMPLES,
    SECTIONS,
    BadPeriod,
    Kind,
    ReportPeriod,
    Section,
    read_period,
)
from fairhear.reporting.models import CQC_NOTES_LIMIT, NARRATIVE_LIMIT

DATE = forms.DateInput(attrs={"class": "govuk-input--width-10"})
LONGEST = 3 * 366  # days: a report of more than three years is split by year on the command line


class ReportPeriodForm(forms.Form):
    """From, to, how to split the period, and optionally one service area or category."""

    start = forms.DateField(
        label="From",
        widget=DATE,
        error_messages={
            "required": "Enter the first day of the period, for example 2026-04-01.",
            "invalid": "Enter the 'from' date as a date, for example 2026-04-01.",
        },
    )
    end = forms.DateField(
        label="To",
        widget=DATE,
        error_messages={
            "required": "Enter the last day of the period, for example 2026-06-30.",
            "invalid": "Enter the 'to' date as a date, for example 2026-06-30.",
        },
    )
    by = forms.ChoiceField(
        label="Split by",
        choices=[(b.value, b.value.capitalize()) for b in By],
        initial=By.MONTH.value,
        error_messages={"invalid_choice": "Choose month, quarter or year to split the period."},
    )
    service_area = forms.ChoiceField(label="Service area", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(
        self, *args: object, areas: list[str], categories: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_area"].choices = [("", "Any"), *((a, a) for a in areas)]
        self.fields["service_area"].error_messages["invalid_choice"] = (
            "Choose a service area from the list, or Any."
        )
        self.fields["category"].choices = [("", "Any"), *categories]
        self.fields["category"].error_messages["invalid_choice"] = (
            "Choose a category from the list, or Any."
        )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and (problem := date_out_of_range(data[name])):
                self.add_error(name, problem)
        start, end = data.get("start"), data.get("end")
        if start and end and not self.errors:
            if start > end:
                self.add_error("end", "The 'to' date must be the same as or after the 'from' date.")
            elif (end - start).days > LONGEST:
                self.add_error("end", "Choose a period of at most three years.")
        return data


class DashboardForm(ReportPeriodForm):
    """The dashboard's period and filters: the Reports page's, without the split (the
    dashboard's trends are always by month)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["by"]


def last_twelve_months(today: date) -> dict[str, str]:
    """The dashboard's period to start with: the eleven whole months before this one, and
    this month so far."""
    months = today.year * 12 + today.month - 1 - 11
    start = date(months // 12, months % 12 + 1, 1)
    return {"start": start.isoformat(), "end": today.isoformat()}


def default_period(today: date) -> dict[str, str]:
    """This calendar year so far, split by month."""
    return {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat(), "by": "month"}


class BoardPeriodForm(forms.Form):
    """The period of one board report, written as its kind writes it (board.EXAMPLES)."""

    period = forms.CharField(
        max_length=10,
        error_messages={"required": "Enter the period the report is for."},
    )

    def __init__(self, *args: object, kind: Kind, today: date, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"{kind}-%s")
        super().__init__(*args, **kwargs)
        self.kind, self.today = kind, today
        field = self.fields["period"]
        field.label = PERIOD_LABELS[kind]
        field.help_text = f"For example, {EXAMPLES[kind]}"
        field.widget.attrs["class"] = "govuk-input--width-10"
        field.error_messages["required"] = f"Enter the period, for example {EXAMPLES[kind]}."
        self.report: ReportPeriod | None = None

    def clean_period(self) -> str:
        try:
            self.report = read_period(self.kind, self.cleaned_data["period"], self.today)
        except BadPeriod as problem:
            raise forms.ValidationError(str(problem)) from None
        return self.report.key


PERIOD_LABELS = {
    Kind.MONTHLY: "Month",
    Kind.QUARTERLY: "Quarter",
    Kind.ANNUAL: "Financial year starting 1 April",
}


class NarrativeField(forms.CharField):
    """Plain text whose line breaks count as one character each, however the browser sent
    them, so the limit is the one the character count shows."""

    def to_python(self, value: object) -> str:
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class NarrativeForm(forms.Form):
    """The narrative sections of one board report (or of the `sections` given: the annual
    report to customers'): plain text, paragraphs split by a blank
    line, each at most NARRATIVE_LIMIT characters; an empty one is printed as not written."""

    def __init__(
        self,
        *args: object,
        kind: Kind | None = None,
        sections: tuple[Section, ...] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        for section in SECTIONS[kind] if kind else sections:
            self.fields[section.key] = NarrativeField(
                label=section.title,
                help_text=section.hint + " Leave a blank line between paragraphs.",
                required=False,
                strip=False,
                max_length=NARRATIVE_LIMIT,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={
                    "max_length": f"{section.title} must be {NARRATIVE_LIMIT:,} characters or "
                    "fewer; shorten it or put the detail in a separate paper."
                },
            )


class SelfAssessmentYearForm(forms.Form):
    """The financial year of the self-assessment against the Housing Ombudsman Code."""

    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        error_messages={"invalid_choice": "Choose a financial year from the list."},
    )

    def __init__(self, *args: object, years: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}-{(y + 1) % 100:02d}") for y in years]


class CqcRequestForm(forms.Form):
    """A request from the CQC for a summary (CQC Regulation 16(3)); dates in the GOV.UK date
    input, each refusal saying what to change."""

    received_on = DayField(
        label="When was the request received?",
        help_text="For example, 2 3 2026. The summary is due 28 days after this day.",
        error_messages={"required": "Enter the date the request was received."},
    )
    period_from = DayField(
        label="The period asked about starts on",
        help_text="For example, 1 4 2025.",
        error_messages={"required": "Enter the first day of the period the CQC asked about."},
    )
    period_to = DayField(
        label="The period asked about ends on",
        help_text="For example, 31 3 2026.",
        error_messages={"required": "Enter the last day of the period the CQC asked about."},
    )
    service_area = forms.ChoiceField(
        label="Registered service",
        required=False,
        help_text="The service the CQC asked about, or every service.",
    )
    cqc_reference = forms.CharField(
        label="The CQC's reference",
        required=False,
        max_length=100,
        error_messages={"max_length": "Shorten the CQC's reference to 100 characters or fewer."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=CQC_NOTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who asked, and anything else they asked for.",
        error_messages={
            "max_length": f"Shorten the notes to {CQC_NOTES_LIMIT:,} characters or fewer."
        },
    )

    def __init__(
        self, *args: object, areas: list[tuple[str, str]], today: date, **kw: object
    ) -> None:
        super().__init__(*args, **kw)
        self.today = today
        self.fields["service_area"].choices = [("", "Every service"), *areas]
        self.fields["service_area"].error_messages["invalid_choice"] = (
            "Choose a service from the list, or every service."
        )

    def clean(self) -> dict:
        data = super().clean()
        received, start, end = (data.get(k) for k in ("received_on", "period_from", "period_to"))
        if received and received > self.today:
            self.add_error(
                "received_on",
                "The date received must be today or in the past; enter the day the request "
                "arrived.",
            )
        if start and end and end < start:
            self.add_error(
                "period_to", "The end of the period must be the same as or after its start."
            )
        return data


class CqcSentForm(forms.Form):
    """The day the summary was sent to the CQC."""

    sent_on = DayField(
        label="When was the summary sent?",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the summary was sent."},
    )

    def __init__(self, *args: object, received_on: date, today: date, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.received_on, self.today = received_on, today

    def clean_sent_on(self) -> date:
        sent = self.cleaned_data["sent_on"]
        if sent > self.today:
            raise forms.ValidationError(
                "The date sent must be today or in the past; enter the day it was sent."
            )
        if sent < self.received_on:
            raise forms.ValidationError(
                "The date sent must be on or after the day the request was received, "
                f"{self.received_on:%-d %B %Y}."
            )
        return sent


class CustomerPublishForm(forms.Form):
    """Publishing the annual report to customers: the lead confirms the preview names no one,
    and says what a new version corrects (customers.py)."""

    confirm = forms.BooleanField(
        label="I have read the preview: it names no one and gives no case reference",
        error_messages={
            "required": "Tick the box to confirm you have read the preview, or go back to it."
        },
    )
    correction = forms.CharField(
        label="What this version corrects",
        help_text="Customers see this beside the report, for example 'The number of "
        "complaints resolved was counted wrongly'.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Say what this version corrects in 500 characters or fewer."},
    )

    def __init__(self, *args: object, published: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.published = published
        if not published:
            del self.fields["correction"]

    def clean_correction(self) -> str:
        text = self.cleaned_data["correction"].strip()
        if not text:
            raise forms.ValidationError(
                f"Say what this version corrects: version {self.published} is already "
                "published, and customers are told why it changed."
            )
        return text
