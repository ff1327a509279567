"""Reading the values a real spreadsheet log holds: dates written every way people write them
("3/2/2026", "2 Mar 2026", "2026-03-02", a spreadsheet's own date), Yes/No in its many
spellings, blank cells and stray spaces. Each reader returns the value or says, in words, what
it could not read."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from fairhear.domain.clock import LONDON


class Unreadable(ValueError):
    """The cell could not be read; the message says what would be."""


_MONTHS = {
    m: n
    for n, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2}))?")
_WORDS = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2}))?"
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?")
DATE_HELP = "a date such as 3/2/2026 (day first), 3 Feb 2026 or 2026-02-03"


def text(value: object) -> str:
    """The cell as text without stray spaces (a blank cell is "")."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def when(value: object) -> datetime | None:
    """A date, or a date and time, in London; None for a blank cell. A date alone is read as
    that day (the time is chosen when the steps are put in order). Numeric dates are day
    first, as British logs write them: 3/2/2026 is 3 February."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LONDON)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=LONDON)
    raw = text(value)
    if not raw:
        return None
    for pattern in (_ISO, _NUMERIC, _WORDS):
        match = pattern.fullmatch(raw)
        if match:
            return _moment(pattern, match.groups(), raw)
    raise Unreadable(f"{raw!r} is not {DATE_HELP}.")


def _moment(pattern: re.Pattern, groups: tuple, raw: str) -> datetime:
    if pattern is _ISO:
        year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    elif pattern is _NUMERIC:
        day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
        year += 2000 if year < 100 else 0
    else:
        day, year = int(groups[0]), int(groups[2])
        month = _MONTHS.get(groups[1].lower())
        if month is None:
            raise Unreadable(f"{groups[1]!r} in {raw!r} is not a month; write {DATE_HELP}.")
    hour, minute = (int(groups[3]), int(groups[4])) if groups[3] else (0, 0)
    try:
        return datetime(year, month, day, hour, minute, tzinfo=LONDON)
    except ValueError:
        raise Unreadable(f"{raw!r} is not a real date; write {DATE_HELP}.") from None


_YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
_NO = {"no", "n", "false", "0", ""}


def yes_no(value: object) -> bool:
    """Yes or No (also Y/N, True/False, 1/0, a tick or an x); a blank cell is No."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise Unreadable(f"{text(value)!r} is not Yes or No.")


def choice(value: object, choices: dict[str, str], what: str) -> str:
    """One of `choices` (words as written → Fairhear's code), read without regard to case,
    spaces or hyphens; a blank cell is ""."""
    raw = text(value)
    if not raw:
        return ""
    key = _key(raw)
    for words, code in choices.items():
        if _key(words) == key:
            return code
    names = sorted({w for w in choices if w == choices[w] or " " in w or w[0].isupper()})
    raise Unreadable(f"{raw!r} is not a {what} Fairhear knows; use one of {', '.join(names)}.")


def _key(words: str) -> str:
    return re.sub(r"[\s_\-]+", " ", words.strip().lower())


def many(value: object, choices: dict[str, str], what: str) -> list[str]:
    """Several choices in one cell, separated by commas or semicolons."""
    return [choice(part, choices, what) for part in re.split(r"[;,]", text(value)) if part.strip()]
