"""The period and filters of the Reports page, read from its query string."""

from __future__ import annotations

from datetime import date

from django import forms

from fairhear.domain.kpis import By, date_out_of_range

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
