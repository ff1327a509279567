"""Recognising a person who comes back: the rule that says whether the details given for a new
case are those of someone already known to the organisation.

The rule is conservative (docs/policy-packs.md, "People across cases"): a person is the same
person, and reused without asking, only when the name agrees *and* something that identifies
them agrees too (their e-mail address, their phone number, or their postcode with no e-mail or
phone that contradicts it). A shared e-mail or phone under another name (a household, a
representative, a name typed differently), or a name and postcode with a different e-mail and
phone, is a *possible* match: the colleague logging is asked. A name alone is never a match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir"})
# A UK postcode anywhere in an address: outward code, optional space, inward code.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
# Fewer digits than this is not a phone number that could identify anyone.
_PHONE_DIGITS = 10


def normalise_name(name: str) -> str:
    """A name as compared: case, accents, punctuation, spacing and a leading title ignored."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9 ]+", " ", text).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def normalise_email(email: str) -> str:
    """An e-mail address as compared: surrounding space and case ignored."""
    return email.strip().casefold()


def normalise_phone(phone: str) -> str:
    """A phone number as compared: digits only, +44 or 0044 read as a leading 0; empty when too
    short to identify anyone."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    return digits if len(digits) >= _PHONE_DIGITS else ""


def postcode_in(address: str) -> str:
    """The UK postcode in an address, upper case without spaces; empty when there is none."""
    found = _POSTCODE.findall(address.upper())
    return "".join(found[-1]) if found else ""


# Street words written short, read as written in full, so "12 High St." is "12 high street".
_STREET_WORDS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "ct": "court",
    "cl": "close",
    "cres": "crescent",
    "gdns": "gardens",
    "pl": "place",
    "sq": "square",
    "tce": "terrace",
}


def first_address_line(address: str) -> str:
    """The first line of an address as compared (the flat or house and street): its first line,
    or its text before the first comma when written on one line; case, accents, punctuation,
    spacing and a shortened last street word ("St", "Rd") ignored. Empty when there is none."""
    lines = [line for line in address.splitlines() if line.strip()]
    if not lines:
        return ""
    first = lines[0] if len(lines) > 1 else lines[0].split(",")[0]
    text = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9 ]+", " ", text).split()
    if words and words[-1] in _STREET_WORDS:
        words[-1] = _STREET_WORDS[words[-1]]
    if postcode_in(" ".join(words)):
        return ""  # the postcode itself, not a line of the address
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """What a person is recognised by, normalised."""

    name: str
    email: str = ""
    phone: str = ""
    postcode: str = ""


def person_keys(*, name: str, email: str = "", phone: str = "", address: str = "") -> PersonKeys:
    """The keys of a person's details as entered."""
    return PersonKeys(
        name=normalise_name(name),
        email=normalise_email(email),
        phone=normalise_phone(phone),
        postcode=postcode_in(address),
    )


class Likeness(StrEnum):
    """How far two sets of details describe one person."""

    SAME = "same"  # reuse without asking
    POSSIBLE = "possible"  # ask the colleague logging
    NONE = "none"


_WHY = {"email": "the same e-mail address", "phone": "the same phone number"}


def likeness(new: PersonKeys, known: PersonKeys) -> tuple[Likeness, tuple[str, ...]]:
    """Whether `new` is the person `known` describes, and what agrees, in words."""
    pairs = [(key, getattr(new, key), getattr(known, key)) for key in ("email", "phone")]
    agree = tuple(key for key, mine, theirs in pairs if mine and mine == theirs)
    contradict = tuple(key for key, mine, theirs in pairs if mine and theirs and mine != theirs)
    same_name = bool(new.name) and new.name == known.name
    same_postcode = bool(new.postcode) and new.postcode == known.postcode
    why = tuple(_WHY[k] for k in agree)
    if same_name:
        why = ("the same name", *why)
    if same_postcode:
        why = (*why, "the same postcode")
    if same_name and agree:
        return Likeness.SAME, why
    if same_name and same_postcode:
        # Name and postcode, unless both the e-mail and the phone say otherwise.
        if len(contradict) < 2:
            return Likeness.SAME, why
        return Likeness.POSSIBLE, why
    if agree:
        return Likeness.POSSIBLE, why
    return Likeness.NONE, ()


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """Who the new details are: one person for certain, or people to ask about (with why)."""

    same: int | None = None
    same_why: tuple[str, ...] = ()
    possible: tuple[tuple[int, tuple[str, ...]], ...] = ()


def match_person(new: PersonKeys, known: list[tuple[int, PersonKeys]]) -> PersonMatch:
    """Match new details against the organisation's people (`known`: id and keys, oldest
    first). Exactly one certain match is reused; two certain matches are not told apart by the
    rule, so both are asked about, as are the possible ones."""
    same: list[tuple[int, tuple[str, ...]]] = []
    possible: list[tuple[int, tuple[str, ...]]] = []
    for person_id, keys in known:
        found, why = likeness(new, keys)
        if found is Likeness.SAME:
            same.append((person_id, why))
        elif found is Likeness.POSSIBLE:
            possible.append((person_id, why))
    if len(same) == 1:
        return PersonMatch(same=same[0][0], same_why=same[0][1])
    return PersonMatch(possible=tuple(same + possible))


@dataclass(frozen=True, slots=True)
class DetailChange:
    """A detail the new contact gave that differs from what was known."""

    field: str
    was: str
    now: str


_COMPARED = {
    "email": normalise_email,
    "phone": lambda v: re.sub(r"\D", "", v),
    "address": lambda v: " ".join(v.upper().split()),
}


def detail_changes(known: dict[str, str], given: dict[str, str]) -> list[DetailChange]:
    """What the new contact changes: each detail given that differs from the one known (a
    detail left blank keeps the one known; a change of spacing or case only is no change)."""
    out = []
    for field, now in given.items():
        now = now.strip()
        was = known.get(field, "")
        if not now:
            continue
        compare = _COMPARED.get(field, lambda v: v.strip())
        if compare(now) != compare(was):
            out.append(DetailChange(field=field, was=was, now=now))
    return out
