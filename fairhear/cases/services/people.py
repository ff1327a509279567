"""People across cases: a complainant who comes back is recognised and their record reused
(fairhear.domain.people has the rule; docs/policy-packs.md, "People across cases")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from fairhear.accounts.models import Organisation, User
from fairhear.cases.models import Person
from fairhear.cases.selectors import case_list_visible_to
from fairhear.cases.services.transitions import CaseInputError
from fairhear.domain.people import PersonKeys, detail_changes, match_person, person_keys

# The details a returning person's new contact may change; the old value stays in the event.
_DETAILS = ("email", "phone", "address", "communication_needs", "reasonable_adjustments")


@dataclass(frozen=True, slots=True)
class MatchOffer:
    """Someone the new details may be: who, why, and the cases of theirs the colleague may see."""

    person_id: int
    name: str
    why: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """'Ada Lovelace (cases C-…, C-…): the same e-mail address'."""
        cases = ", ".join(self.references)
        word = "case" if len(self.references) == 1 else "cases"
        return f"{self.name} ({word} {cases}): {' and '.join(self.why)}"


class PersonMatchUncertain(CaseInputError):
    """The complainant's details look like someone already known, but not certainly; the
    colleague logging says whether it is the same person (`same_person_as` or
    `not_same_person`). `offers` lists who they may be."""

    def __init__(self, offers: tuple[MatchOffer, ...]) -> None:
        self.offers = offers
        names = "; or ".join(o.sentence for o in offers)
        super().__init__(
            f"This looks like {names}. Say whether it is the same person, so that their cases "
            "are kept together, or a different person."
        )


@dataclass(frozen=True, slots=True)
class PersonChoice:
    """Who the complainant is: a known person (`person`) or a new one, and how that was found."""

    person: Person | None
    recognised: str  # "new", "same" (by the rule) or "confirmed" (by the colleague)
    why: tuple[str, ...] = ()


def _keys_of(person: Person) -> PersonKeys:
    return PersonKeys(
        name=person.name_key,
        email=person.email_key,
        phone=person.phone_key,
        postcode=person.postcode_key,
    )


def _candidates(organisation: Organisation, keys: PersonKeys) -> list[Person]:
    """The organisation's people sharing at least one key with the new details."""
    shared = Q()
    if keys.email:
        shared |= Q(email_key=keys.email)
    if keys.phone:
        shared |= Q(phone_key=keys.phone)
    if keys.name and keys.postcode:
        shared |= Q(name_key=keys.name, postcode_key=keys.postcode)
    if not shared:
        return []
    return list(Person.objects.filter(shared, organisation=organisation).order_by("pk"))


def _visible_references(person: Person, viewer: User) -> tuple[str, ...]:
    return tuple(
        case_list_visible_to(user=viewer)
        .filter(Q(complainant=person) | Q(representative=person))
        .order_by("received_at")
        .values_list("reference", flat=True)
    )


def person_recognise(
    *,
    organisation: Organisation,
    details: object,
    viewer: User | None,
    same_person_as: int | None = None,
    not_same_person: bool = False,
    ask: bool = False,
) -> PersonChoice:
    """Who the details describe. A certain match is reused; a possible one is asked about when
    `ask` (a colleague logging) and otherwise recorded as a new person, never merged silently.
    Only people with a case the colleague may see are offered (need to know)."""
    keys = person_keys(
        name=details.name, email=details.email, phone=details.phone, address=details.address
    )
    people = {p.pk: p for p in _candidates(organisation, keys)}
    found = match_person(keys, [(pk, _keys_of(p)) for pk, p in people.items()])
    if found.same is not None:
        return PersonChoice(people[found.same], "same", found.same_why)
    offers = tuple(
        MatchOffer(pk, people[pk].name, why, refs)
        for pk, why in found.possible
        if viewer is not None and (refs := _visible_references(people[pk], viewer))
    )
    if same_person_as is not None:
        chosen = next((o for o in offers if o.person_id == same_person_as), None)
        if chosen is None:
            raise CaseInputError(
                "The person chosen as the same person no longer matches these details; check "
                "the details and choose again."
            )
        return PersonChoice(people[same_person_as], "confirmed", chosen.why)
    if offers and ask and not not_same_person:
        raise PersonMatchUncertain(offers)
    return PersonChoice(None, "new")


def person_save(
    *, organisation: Organisation, details: object, choice: PersonChoice
) -> tuple[Person, dict]:
    """Create the person, or bring a known person's details up to date with what the new
    contact gave; returns the person and what the receipt event records (the old values of
    anything changed, so nothing known is lost)."""
    if choice.person is None:
        person = Person(organisation=organisation, name=details.name.strip())
        for field in _DETAILS:
            setattr(person, field, getattr(details, field).strip())
        _set_keys(person)
        person.save()
        return person, {"person_id": person.pk, "recognised": "new"}
    person = Person.objects.select_for_update().get(pk=choice.person.pk)
    known = {field: getattr(person, field) for field in _DETAILS}
    changes = detail_changes(known, {field: getattr(details, field) for field in _DETAILS})
    for change in changes:
        setattr(person, change.field, change.now)
    if changes:
        _set_keys(person)
        person.save()
    record = {"person_id": person.pk, "recognised": choice.recognised}
    if choice.why:
        record["why"] = list(choice.why)
    if changes:
        record["changes"] = [{"field": c.field, "was": c.was, "now": c.now} for c in changes]
    return person, record


def _set_keys(person: Person) -> None:
    keys = person_keys(
        name=person.name, email=person.email, phone=person.phone, address=person.address
    )
    person.name_key, person.email_key = keys.name, keys.email
    person.phone_key, person.postcode_key = keys.phone, keys.postcode
