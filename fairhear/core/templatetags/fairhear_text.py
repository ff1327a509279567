"""`{% long_text value "note" %}`: a text shown in full when short, and otherwise its first
part with the rest behind a "Read the full note" disclosure (a native <details>, so it works
without JavaScript and the browser does not lay out a long text until it is opened)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# How much of a long text the page shows before "Read the full …" (about a paragraph).
PREVIEW = 600


@register.simple_tag
def long_text(value: object, what: str = "text") -> SafeString:
    """The text, escaped, its lines kept; when long, its first part with the rest behind a
    disclosure. Made here rather than by an inclusion tag, whose template was rendered again
    for every text (ten times a case page, 0.35 ms of it)."""
    text = "" if value is None else str(value)
    if len(text) <= PREVIEW:
        return linebreaksbr(text)
    cut = text[:PREVIEW]
    space = cut.rfind(" ")
    if space > PREVIEW // 2:
        cut = cut[:space]
    return format_html(
        "{}\n"
        '<details class="govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-0">\n'
        '  <summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
        "Read the full {}</span></summary>\n"
        '  <div class="govuk-details__text">{}</div>\n'
        "</details>",
        linebreaksbr(f"{cut.rstrip()}…"),
        what,
        linebreaksbr(text),
    )
