"""The personal link in the feedback survey invitation (Pivotal §21.2: "a feedback sheet to the
customer following closure"), answered on the public page without signing in.

The link is Django's signing with a salt of its own (so no other signed value of Fairhear's,
such as a Track my case link, can stand for it), carrying the case's id and a timestamp; it
works for settings.FAIRHEAR_SURVEY_LINK_DAYS (90) days from the day the letter was written.
It says nothing about the case: the page shows only the reference and the organisation's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from fairhear.cases.models import Case
from fairhear.links import absolute_url

_SALT = "fairhear.feedback-survey"
# No token this page makes is near this long; a longer one is refused unread.
_MAX_TOKEN = 300


class SurveyLinkNotValid(Exception):
    """The link was not made by Fairhear for a survey, was changed, or its case is gone."""


class SurveyLinkExpired(Exception):
    """A genuine link, older than FAIRHEAR_SURVEY_LINK_DAYS; `case` is the case it was for."""

    def __init__(self, case: Case) -> None:
        super().__init__(case.reference)
        self.case = case


@dataclass(frozen=True, slots=True)
class SurveyLink:
    url: str
    valid_until: datetime


def _max_age() -> timedelta:
    return timedelta(days=settings.FAIRHEAR_SURVEY_LINK_DAYS)


def survey_token(case: Case) -> str:
    """The signed, timestamped token for the case's survey."""
    return signing.dumps({"c": case.pk}, salt=_SALT)


def survey_link(case: Case) -> SurveyLink:
    """The full address of the case's survey page, and when the link stops working."""
    path = reverse("intake:survey", kwargs={"token": survey_token(case)})
    return SurveyLink(
        url=absolute_url(path),
        valid_until=timezone.now() + _max_age(),
    )


def _case(value: object) -> Case:
    case_id = value.get("c") if isinstance(value, dict) else None
    if not isinstance(case_id, int) or isinstance(case_id, bool):
        raise SurveyLinkNotValid
    case = Case.objects.select_related("organisation").filter(pk=case_id).first()
    if case is None:
        raise SurveyLinkNotValid
    return case


def survey_case(token: str) -> Case:
    """The case a survey token is for; SurveyLinkExpired or SurveyLinkNotValid otherwise."""
    if len(token) > _MAX_TOKEN:
        raise SurveyLinkNotValid
    try:
        return _case(signing.loads(token, salt=_SALT, max_age=_max_age()))
    except signing.SignatureExpired:
        # Genuine but old: read it again without the age check, to say whom to ask.
        raise SurveyLinkExpired(_case(signing.loads(token, salt=_SALT))) from None
    except signing.BadSignature:
        raise SurveyLinkNotValid from None
