"""The public form: no sign-in, one question a page, check your answers, then a confirmation
with the case reference. It works with JavaScript off: every page is a plain form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairhear.accounts.models import Organisation
from fairhear.accounts.selectors import service_area_choices
from fairhear.cases.forms import new_idempotency_key
from fairhear.cases.services import AlreadyReceived, CaseInputError
from fairhear.intake import documents as d
from fairhear.intake import steps as st
from fairhear.intake.forms import DocumentForm, SendForm
from fairhear.intake.presenters import what_happens_next
from fairhear.intake.ratelimit import minutes_to_next_window, rate_allows
from fairhear.intake.selectors import (
    organisation_for_feedback,
    organisations_taking_feedback,
)
from fairhear.intake.services import feedback_send
from fairhear.links import path_maker
from fairhear.outbox.services import OutboxInputError
from fairhear.policies.selectors import INTAKE_ALARM, policy_pack_for
from fairhear.reporting.customers import customer_report_latest_year


def _organisation(slug: str) -> Organisation:
    try:
        return organisation_for_feedback(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No organisation takes feedback at this address.") from None


def _setting(org: Organisation) -> st.Setting:
    """The organisation's pack (its version was read with the organisation, one query a
    request) and its service areas, read only if the page asks for them."""
    pack = policy_pack_for(org.active_policy_version, alarm=INTAKE_ALARM)
    return st.Setting(pack=pack, areas=lambda: service_area_choices(organisation=org))


def _page(
    request: HttpRequest, template: str, org: Organisation, **context: object
) -> HttpResponse:
    status = context.pop("status", 200)
    return render(request, template, {"org": org, "organisation": org, **context}, status=status)


@login_not_required
def feedback_index(request: HttpRequest) -> HttpResponse:
    """Straight to the form when one organisation takes feedback; otherwise a list to choose."""
    orgs = list(organisations_taking_feedback())
    if len(orgs) == 1:
        return redirect("intake:start", slug=orgs[0].slug)
    return render(request, "intake/pages/choose.html", {"orgs": orgs})


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The start page; "Start now" begins a new form with a new key."""
    org = _organisation(slug)
    if request.method == "POST":
        request.session[st.SESSION_KEY] = {
            "organisation": org.slug,
            "key": new_idempotency_key(),
            "answers": {},
            "documents": [],
            "documents_seen": False,
            "reference": "",
        }
        return redirect("intake:step", slug=org.slug, step=st.STEPS[0].name)
    kept = st.session_answers(request.session, org.slug)
    return _page(
        request,
        "intake/pages/start.html",
        org,
        pack=_setting(org).pack,
        resume=kept and not kept["reference"] and kept["answers"],
        annual_year=customer_report_latest_year(organisation=org),
    )


def _kept_or_restart(request: HttpRequest, org: Organisation) -> dict | None:
    kept = st.session_answers(request.session, org.slug)
    if kept is None or kept["reference"]:
        return None
    return kept


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """One question page. A valid answer is kept in the session and the next page follows."""
    org = _organisation(slug)
    chosen = st.BY_NAME.get(step)
    if chosen is None:
        raise Http404("No such question.")
    kept = _kept_or_restart(request, org)
    if kept is None:
        return redirect("intake:start", slug=org.slug)
    setting = _setting(org)
    answers = kept["answers"]
    if request.method == "POST":
        data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        form = st.form_for(chosen, setting, answers, data)
        if form.is_valid():
            answers[chosen.name] = data
            request.session.modified = True
            return redirect("intake:step_or_check", slug=org.slug)
    else:
        form = st.form_for(chosen, setting, answers)
    return _page(
        request,
        "intake/pages/question.html",
        org,
        form=form,
        step=chosen,
        back=_back(kept, step),
        multipart=False,
    )


def _back(kept: dict, step: str) -> str:
    """The page before this one among those that apply ("" for the first)."""
    previous = ""
    for candidate in st.STEPS:
        if candidate.name == step:
            return previous
        if candidate.applies(kept["answers"]):
            previous = candidate.name
    return previous


@login_not_required
def feedback_continue(request: HttpRequest, slug: str) -> HttpResponse:
    """The next page with no answer yet, or the check page."""
    org = _organisation(slug)
    kept = _kept_or_restart(request, org)
    if kept is None:
        return redirect("intake:start", slug=org.slug)
    following = st.next_step(kept["answers"], documents_seen=kept["documents_seen"])
    if following == "check":
        return redirect("intake:check", slug=org.slug)
    if following == st.DOCUMENTS:
        return redirect("intake:documents", slug=org.slug)
    return redirect("intake:step", slug=org.slug, step=following)


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_documents(request: HttpRequest, slug: str) -> HttpResponse:
    """Add documents or photos one at a time, remove any, then continue (all optional)."""
    org = _organisation(slug)
    kept = _kept_or_restart(request, org)
    if kept is None:
        return redirect("intake:start", slug=org.slug)
    form = DocumentForm()
    if request.method == "POST":
        if "remove" in request.POST:
            kept["documents"] = _without(kept["documents"], request.POST["remove"])
        elif request.FILES.get("document"):
            form = DocumentForm(request.POST, request.FILES)
            try:
                stored = d.document_store(
                    organisation_id=org.pk,
                    upload=request.FILES["document"],
                    already=len(kept["documents"]),
                )
            except d.DocumentRefused as exc:
                form.is_valid()
                form.add_error("document", str(exc))
            else:
                kept["documents"].append(stored.as_dict())
                form = DocumentForm()
        else:
            kept["documents_seen"] = True
            request.session.modified = True
            return redirect("intake:step_or_check", slug=org.slug)
        request.session.modified = True
    return _page(
        request,
        "intake/pages/documents.html",
        org,
        form=form,
        documents=[
            {**doc, "size_words": d.size_in_words(doc["size"])} for doc in kept["documents"]
        ],
        limit=d.MAX_DOCUMENTS,
        back=_back(kept, "check"),
    )


def _without(documents: list[dict], stored_as: str) -> list[dict]:
    kept = [doc for doc in documents if doc["stored_as"] != stored_as]
    if len(kept) != len(documents):
        d.document_remove(stored_as=stored_as)
    return kept


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers, then send. Sending the same form again, by a double click, a refresh
    or a retry, shows the same confirmation and never makes a second case."""
    org = _organisation(slug)
    kept = st.session_answers(request.session, org.slug)
    sent_already = bool(kept and kept["reference"])
    if sent_already and request.POST.get("idempotency_key") == kept["key"]:
        return redirect("intake:done", slug=org.slug)
    if kept is None or sent_already:
        return redirect("intake:start", slug=org.slug)
    setting = _setting(org)
    checked, to_fix = st.checked_answers(setting, kept["answers"])
    if to_fix:
        return redirect("intake:step", slug=org.slug, step=to_fix)
    form = SendForm(request.POST or None, initial={"idempotency_key": kept["key"]})
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _send(request, org, kept, form, st.cleaned_of(checked))
        if status == 302:
            return redirect("intake:done", slug=org.slug)
    return _page(
        request,
        "intake/pages/check.html",
        org,
        form=form,
        rows=_with_change_links(st.answer_rows(checked), org),
        documents=kept["documents"],
        status=status,
    )


def _with_change_links(rows: list[dict], org: Organisation) -> list[dict]:
    """Each answer with the address of the page to change it on (links.path_maker: one
    reverse() for the page rather than a {% url %} a row)."""
    step_path = path_maker("intake:step", org.slug)
    return [{**row, "href": step_path(row["step"])} for row in rows]


def _send(
    request: HttpRequest, org: Organisation, kept: dict, form: SendForm, cleaned: dict
) -> int:
    """Send the checked answers: 302 when there is a case (new, or the one this form made
    before); otherwise the status of the page that says why not, on the form."""
    if form.cleaned_data["idempotency_key"] != kept["key"]:
        form.add_error(None, "This page is out of date; check your answers and send them again.")
        return 200
    if not rate_allows(request, "feedback"):
        form.add_error(
            None,
            "Too many forms have been sent from your internet connection in the last hour. "
            f"Your answers are kept: try again in {minutes_to_next_window()} minutes, or "
            "phone or write to us instead.",
        )
        return 429
    try:
        case = feedback_send(
            organisation=org,
            answers=cleaned,
            idempotency_key=kept["key"],
            documents=kept["documents"],
            track_url=request.build_absolute_uri(reverse("intake:track", args=[org.slug])),
        )
    except AlreadyReceived as exc:
        case = exc.case
    except (CaseInputError, OutboxInputError) as exc:
        form.add_error(None, str(exc))
        return 200
    kept.update(reference=case.reference, kind=case.kind, answers={})
    request.session.modified = True
    return 302


@login_not_required
def feedback_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: the reference and what happens next, in the policy's timescales."""
    org = _organisation(slug)
    kept = st.session_answers(request.session, org.slug)
    if kept is None or not kept["reference"]:
        return redirect("intake:start", slug=org.slug)
    return _page(
        request,
        "intake/pages/done.html",
        org,
        reference=kept["reference"],
        next_steps=what_happens_next(_setting(org).pack, kept.get("kind", "")),
    )
