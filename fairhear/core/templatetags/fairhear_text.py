"""`{% long_text value "note" %}`: a text shown in full when short, and otherwise its first
part with the rest behind a "Read the full note" disclosure (a native <details>, so it works
without JavaScript and the browser does not lay out a long text until it is opened)."""

from django import template

register = template.Library()

# How much of a long text the page shows before "Read the full …" (about a paragraph).
PREVIEW = 600


@register.inclusion_tag("components/long_text.html")
def long_text(value: object, what: str = "text") -> dict:
    """The first part of a long text, and the whole of it to show on request."""
    text = "" if value is None else str(value)
    if len(text) <= PREVIEW:
        return {"preview": text, "full": None, "what": what}
    cut = text[:PREVIEW]
    space = cut.rfind(" ")
    if space > PREVIEW // 2:
        cut = cut[:space]
    return {"preview": f"{cut.rstrip()}…", "full": text, "what": what}
