"""Which form each action uses and which service it calls: the glue between the one generic
action view and the services. Each entry parses a valid form into one service call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from fairhear.accounts.models import User
from fairhear.accounts.selectors import colleague_list, colleague_list_with
from fairhear.cases import access_forms as af
from fairhear.cases import forms as f
from fairhear.cases import restriction_forms as rf
from fairhear.cases import services as s
from fairhear.cases.correction_forms import CONFIRM, CorrectDetailsForm
from fairhear.cases.models import Case
from fairhear.cases.selectors import (
    case_closure_reasons,
    case_concluded_on_same_subject,
    case_last_sequence,
    case_refusal_prompts,
    case_refusal_reasons,
    case_restriction_state,
    case_taken_into_response,
)
from fairhear.cases.update_forms import AgreeUpdatesForm
from fairhear.domain.allocation import consultation_categories
from fairhear.domain.authority import needs_override
from fairhear.domain.lifecycle import Action, CaseKind, CaseSnapshot, CaseState
from fairhear.domain.policy.schema import Capability, PolicyPack, Stage
from fairhear.domain.sign_off import sign_off_for, steps_to_sign_off


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How to show and carry out one action."""

    form: type[forms.Form]
    run: Callable[[Case, User, dict, forms.Form], Case]
    done: str  # the success message
    form_kwargs: Callable[[Case, PolicyPack], dict] | None = None
    warning: bool = False  # shown as a warning button (closing, refusing)
    # What will happen, in words, for an action that cannot be undone: its form leads to a
    # "Check and confirm" page first (confirmation.py). Empty: it is done when sent.
    confirm: str = ""


def _pack(case: Case, pack: PolicyPack) -> dict:
    return {"pack": pack}


def _pack_and_stage(case: Case, pack: PolicyPack) -> dict:
    return {"pack": pack, "stage": case.stage}


def _accept(case: Case, pack: PolicyPack) -> dict:
    # Pivotal §6.1 g: a complaint naming a colleague is prompted as possibly not accepted.
    return {"pack": pack, "prompts": case_refusal_prompts(case=case)}


def _refusal_reasons(case: Case, pack: PolicyPack) -> dict:
    return {"reasons": case_refusal_reasons(case=case)}


def _closure_reasons(case: Case, pack: PolicyPack) -> dict:
    return {"reasons": case_closure_reasons(case=case)}


def _taken_in(case: Case, pack: PolicyPack) -> dict:
    # Pivotal §9 stage 1 step 8: the response answers what was taken into it.
    return {"taken_in": case_taken_into_response(case=case) if case.stage == 1 else []}


def _restriction(case: Case, pack: PolicyPack) -> dict:
    return {"restriction": case_restriction_state(case=case)}


def _next_stage(case: Case, pack: PolicyPack) -> Stage | None:
    return pack.stage(case.stage + 1) if 0 < case.stage < pack.last_stage else None


def _accept_escalation(case: Case, pack: PolicyPack) -> dict:
    stage = _next_stage(case, pack)
    needed = stage is not None and stage.request_needs_exceptional_circumstances
    return {"exceptional_circumstances": stage.request_criteria if needed else ""}


def _refuse_escalation(case: Case, pack: PolicyPack) -> dict:
    stage = _next_stage(case, pack)
    codes = stage.request_refusal_reasons if stage else ()
    return {"refusal_reasons": case_refusal_reasons(case=case, codes=codes) if codes else []}


def action_form_kwargs(
    spec: ActionSpec, action: Action, case: Case, pack: PolicyPack, user: User
) -> dict:
    """The form's arguments: the spec's own, and the override question for a colleague who
    holds the role but is not the allocated handler (domain/authority.py)."""
    kwargs = spec.form_kwargs(case, pack) if spec.form_kwargs else {}
    snapshot = CaseSnapshot(
        kind=CaseKind(case.kind),
        state=CaseState(case.state),
        stage=case.stage,
        handler_id=case.handler_id,
    )
    if needs_override(snapshot, action, user.pk):
        kwargs["acting_for"] = str(case.handler)
    if action is Action.ACCEPT:
        # Pivotal §6.1 f: name the earlier concluded complaints the colleague may see; with
        # none they may see, the prompt is not shown (need to know).
        earlier = case_concluded_on_same_subject(case=case, user=user)
        kwargs["earlier"] = [c.reference for c in earlier]
        if not earlier:
            kwargs["prompts"] = [
                r for r in kwargs["prompts"] if "reopens_concluded" not in r.prompted_by_facts
            ]
    return kwargs


def _steps_to_sign_off(case: Case, pack: PolicyPack) -> dict:
    steps = steps_to_sign_off(pack, case.stage) if case.stage else []
    labels = [
        (step.value, f"{step.label.capitalize()} ({sign_off_for(pack, case.stage, step).cites})")
        for step in steps
    ]
    return {"steps": labels}


def _extension_rule(case: Case, pack: PolicyPack) -> dict:
    rule = pack.clocks[pack.stage(max(case.stage, 1)).response_clock].extension
    return {"agreed_by": rule.agreed_by if rule else ""}


def _handlers(case: Case, pack: PolicyPack) -> dict:
    stage = pack.stage(max(case.stage, 1))
    colleagues = colleague_list_with(organisation=case.organisation, capability=stage.handler)
    consult = consultation_categories(pack, list(case.categories or []))
    ask = f"A {consult[0].label.lower()} complaint ({consult[0].cites})." if consult else ""
    return {
        "colleagues": colleagues.exclude(pk__in=case.about_colleagues.all()),
        # MMBM §7.2 and §8.4: what the allocation must or may record.
        "consult": ask,
        "external": stage.external_investigator,
    }


def _access_names(case: Case, pack: PolicyPack) -> dict:
    """Colleagues who may be named on a restricted case: never one named in the complaint,
    nor the lead officer, who sees it anyway."""
    colleagues = colleague_list(organisation=case.organisation).exclude(
        pk__in=case.about_colleagues.all()
    )
    leads = [u.pk for u in colleagues if Capability.LEAD.value in (u.capabilities or [])]
    colleagues = colleagues.exclude(pk__in=leads)
    return {"colleagues": colleagues, "named": case.access_named.values_list("pk", flat=True)}


# The hidden field that carries the version of the case the page was drawn from.
SEEN = "seen_sequence"
_OUT_OF_DATE = "This page is out of date; nothing you entered was saved — open the case again."


def action_form(
    spec: ActionSpec,
    case: Case,
    data: QueryDict | None,
    kwargs: dict,
    *,
    files: MultiValueDict | None = None,
) -> forms.Form:
    """The action's form (`kwargs` from action_form_kwargs), carrying the case's last event
    sequence as it stood when the page was drawn, so that a colleague overtaken by someone else
    is told (transitions._transition). `files`: what a form with a file upload sent."""
    form = spec.form(data, files, **kwargs)
    form.fields[SEEN] = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        initial=case_last_sequence(case=case),
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), _OUT_OF_DATE),
    )
    return form


def show_version(form: forms.Form, latest: int) -> None:
    """Once told what changed, the refused page stands for the case as it is now: sending it
    again is a deliberate choice."""
    form.data = form.data.copy()
    form.data[SEEN] = str(latest)


ACTIONS: dict[Action, ActionSpec] = {
    Action.ACCEPT: ActionSpec(
        f.AcceptForm,
        lambda c, u, d, _: s.case_accept(
            case=c,
            actor=u,
            exceptional_circumstances=d.get("exceptional_circumstances", ""),
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Complaint accepted at stage 1.",
        _accept,
    ),
    Action.REFUSE: ActionSpec(
        f.RefuseForm,
        lambda c, u, d, _: s.case_refuse(
            case=c,
            actor=u,
            reason_code=d["reason_code"],
            explanation=d["explanation"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Complaint not accepted. The reason is recorded for the letter.",
        _refusal_reasons,
        warning=True,
        confirm=(
            "The complaint will be recorded as not accepted, with the reason you chose, and its "
            "deadlines stop. This cannot be undone."
        ),
    ),
    Action.START_LOCAL_RESOLUTION: ActionSpec(
        f.StartLocalResolutionForm,
        lambda c, u, d, _: s.case_start_local_resolution(
            case=c,
            actor=u,
            occurred_at=d["occurred_at"],
            note=d["note"],
            seen_sequence=d[SEEN],
        ),
        "Local resolution contact recorded.",
    ),
    Action.RESOLVE_LOCALLY: ActionSpec(
        f.ResolveLocallyForm,
        lambda c, u, d, _: s.case_resolve_locally(
            case=c,
            actor=u,
            outcome=d["outcome"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Resolved locally and closed.",
        confirm=(
            "The complaint will be recorded as resolved locally and the case will close. This "
            "cannot be undone."
        ),
    ),
    Action.ALLOCATE: ActionSpec(
        f.AllocateForm,
        lambda c, u, d, _: s.case_allocate(
            case=c,
            actor=u,
            handler=d["handler"],
            occurred_at=d["occurred_at"],
            consultation=d.get("consultation", ""),
            external_investigator=d.get("external_investigator", ""),
            external_organisation=d.get("external_organisation", ""),
            seen_sequence=d[SEEN],
        ),
        "Allocated.",
        _handlers,
    ),
    Action.ACKNOWLEDGE: ActionSpec(
        f.AcknowledgeForm,
        lambda c, u, d, _: s.case_acknowledge(
            case=c,
            actor=u,
            occurred_at=d["occurred_at"],
            understanding=d["understanding"],
            outcomes_sought=d["outcomes_sought"],
            means=d["means"],
            agreed_response_date=d.get("agreed_response_date"),
            override=d.get("override", ""),
            seen_sequence=d[SEEN],
        ),
        "Acknowledgement recorded.",
        _pack_and_stage,
    ),
    Action.EXTEND: ActionSpec(
        f.ExtendForm,
        lambda c, u, d, _: s.case_extend(
            case=c,
            actor=u,
            new_due=d["new_due"],
            reason=d["reason"],
            told_on=d["told_on"],
            beyond_limit_reason=d["beyond_limit_reason"],
            beyond_limit_agreed=d.get("beyond_limit_agreed", False),
            occurred_at=d["occurred_at"],
            override=d.get("override", ""),
            seen_sequence=d[SEEN],
        ),
        "Extension recorded. The response date has moved.",
        _extension_rule,
    ),
    Action.RESPOND: ActionSpec(
        f.RespondForm,
        lambda c, u, d, form: s.case_respond(
            case=c,
            actor=u,
            outcome=d["outcome"],
            reasons=d["reasons"],
            policy_references=d["policy_references"],
            remedy=d["remedy"],
            outstanding_actions=form.outstanding_actions(),
            occurred_at=d["occurred_at"],
            means=d["means"],
            written_confirmation_offered=d["written_confirmation_offered"],
            override=d.get("override", ""),
            additional_answer=d.get("additional_answer", ""),
            seen_sequence=d[SEEN],
        ),
        "Response recorded.",
        _taken_in,
        confirm=(
            "The stage response will be recorded as sent to the complainant on the date given, "
            "with the outcome and reasons you wrote. The stage's response deadline is then met or"
            " missed for good. This cannot be undone."
        ),
    ),
    Action.TAKE_INTO_RESPONSE: ActionSpec(
        f.TakeIntoResponseForm,
        lambda c, u, d, _: s.case_take_into_response(
            case=c,
            actor=u,
            summary=d["summary"],
            channel=d["channel"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Additional complaint taken into the stage 1 response.",
    ),
    Action.RECORD_RESPONSE_RECEIPT: ActionSpec(
        f.ResponseReceiptForm,
        lambda c, u, d, _: s.case_record_response_receipt(
            case=c,
            actor=u,
            received_on=d["occurred_at"],
            correction_reason=d["correction_reason"],
            seen_sequence=d[SEEN],
        ),
        "Date of receipt recorded.",
    ),
    Action.REQUEST_ESCALATION: ActionSpec(
        f.RequestEscalationForm,
        lambda c, u, d, _: s.case_request_escalation(
            case=c,
            actor=u,
            requested_at=d["occurred_at"],
            reasons=d["reasons"],
            seen_sequence=d[SEEN],
        ),
        "Escalation request recorded.",
    ),
    Action.ACCEPT_ESCALATION: ActionSpec(
        f.AcceptEscalationForm,
        lambda c, u, d, _: s.case_accept_escalation(
            case=c,
            actor=u,
            discretion=d["discretion"],
            exceptional_circumstances=d.get("exceptional_circumstances", ""),
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Escalation accepted.",
        _accept_escalation,
    ),
    Action.REFUSE_ESCALATION: ActionSpec(
        f.RefuseEscalationForm,
        lambda c, u, d, _: s.case_refuse_escalation(
            case=c,
            actor=u,
            reason=d["reason"],
            refusal_code=d.get("refusal_code", ""),
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Escalation refused.",
        _refuse_escalation,
        warning=True,
        confirm=(
            "The request for the next stage will be refused and the case will close; the last "
            "response becomes final. This cannot be undone."
        ),
    ),
    Action.CLOSE: ActionSpec(
        f.CloseForm,
        lambda c, u, d, _: s.case_close(
            case=c,
            actor=u,
            reason_code=d["reason_code"],
            note=d["note"],
            occurred_at=d["occurred_at"],
            override=d.get("override", ""),
            seen_sequence=d[SEEN],
        ),
        "Case closed.",
        _closure_reasons,
        warning=True,
        confirm=(
            "The case will close with the reason you chose, and every deadline still running "
            "stops. This cannot be undone."
        ),
    ),
    Action.CHANGE_KIND: ActionSpec(
        f.ChangeKindForm,
        lambda c, u, d, _: s.case_change_kind(
            case=c,
            actor=u,
            kind=CaseKind(d["kind"]),
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "What it is was changed. It still counts from when it was received.",
        lambda c, _: {"current": c.kind},
    ),
    Action.CONVERT_TO_COMPLAINT: ActionSpec(
        f.ConvertForm,
        lambda c, u, d, _: s.case_convert_to_complaint(
            case=c,
            actor=u,
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Now logged as a complaint, received when it became one.",
    ),
    Action.FORWARD_COMPLIMENT: ActionSpec(
        f.ForwardComplimentForm,
        lambda c, u, d, _: s.case_forward_compliment(
            case=c,
            actor=u,
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Compliment passed to the line manager.",
        confirm=(
            "The compliment will be recorded as passed to the line manager, and the case will "
            "close. This cannot be undone."
        ),
    ),
    Action.CLOSE_CONTACT: ActionSpec(
        f.CloseContactForm,
        lambda c, u, d, _: s.case_close_contact(
            case=c,
            actor=u,
            outcome=d["outcome"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Closed.",
        confirm=("The case will close with the outcome you wrote. This cannot be undone."),
    ),
    Action.APPLY_RESTRICTION: ActionSpec(
        rf.ApplyRestrictionForm,
        lambda c, u, d, _: s.case_apply_restriction(
            case=c,
            actor=u,
            restrictions=d["restrictions"],
            reason=d["reason"],
            notice_sent_on=d["notice_sent_on"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Restrictions recorded, with their review date.",
        warning=True,
    ),
    Action.REVIEW_RESTRICTION: ActionSpec(
        rf.ReviewRestrictionForm,
        lambda c, u, d, _: s.case_review_restriction(
            case=c,
            actor=u,
            decision=d["decision"],
            occurred_at=d["occurred_at"],
            notice_sent_on=d["notice_sent_on"],
            seen_sequence=d[SEEN],
        ),
        "Review recorded.",
    ),
    Action.LIFT_RESTRICTION: ActionSpec(
        rf.LiftRestrictionForm,
        lambda c, u, d, _: s.case_lift_restriction(
            case=c,
            actor=u,
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Restrictions lifted.",
    ),
    Action.RESTRICT_ACCESS: ActionSpec(
        af.RestrictAccessForm,
        lambda c, u, d, _: s.case_restrict_access(
            case=c,
            actor=u,
            reason=d["reason"],
            named=list(d["named"]),
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Access restricted to the people named.",
        _access_names,
        warning=True,
        confirm=(
            "Only the colleagues you named, its handler and the lead officer will be able to see "
            "this case, in any list, search or export; every view of it will be logged. Everyone "
            "else loses sight of it at once."
        ),
    ),
    Action.CHANGE_ACCESS_NAMES: ActionSpec(
        af.ChangeAccessNamesForm,
        lambda c, u, d, _: s.case_change_access_names(
            case=c,
            actor=u,
            named=list(d["named"]),
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Who may see it is changed.",
        _access_names,
    ),
    Action.UNRESTRICT_ACCESS: ActionSpec(
        af.UnrestrictAccessForm,
        lambda c, u, d, _: s.case_unrestrict_access(
            case=c,
            actor=u,
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Access is no longer restricted.",
        warning=True,
        confirm=(
            "Access will no longer be restricted: every colleague with a reason to see the case "
            "(its service area's allocators, reviewers it is put to) will see it again."
        ),
    ),
    Action.WARN_BEHAVIOUR: ActionSpec(
        rf.WarnBehaviourForm,
        lambda c, u, d, _: s.case_warn_about_behaviour(
            case=c,
            actor=u,
            behaviour=d["behaviour"],
            how=d["how"],
            notice_sent_on=d["notice_sent_on"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Warning recorded, with the date they have to change by.",
    ),
    Action.RECORD_RESTRICTION_NOTICE: ActionSpec(
        rf.RestrictionNoticeForm,
        lambda c, u, d, form: s.case_record_restriction_notice(
            case=c,
            actor=u,
            for_reference=form.step_parts()[0],
            for_sequence=form.step_parts()[1],
            sent_on=d["sent_on"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Written notice recorded.",
        _restriction,
    ),
    Action.REPORT_BEHAVIOUR: ActionSpec(
        rf.ReportBehaviourForm,
        lambda c, u, d, _: s.case_report_behaviour(
            case=c,
            actor=u,
            told=d["told"],
            how=d["how"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Recorded who was told.",
    ),
    Action.RECORD_OMBUDSMAN_REFERRAL: ActionSpec(
        f.OmbudsmanReferralForm,
        lambda c, u, d, _: s.case_record_ombudsman_referral(
            case=c,
            actor=u,
            body=d["body"],
            referred_on=d["occurred_at"],
            note=d["note"],
            seen_sequence=d[SEEN],
        ),
        "Referral recorded.",
        _pack,
    ),
    Action.RECORD_FEEDBACK: ActionSpec(
        f.FeedbackForm,
        lambda c, u, d, _: s.case_record_feedback(
            case=c,
            actor=u,
            satisfaction=d["satisfaction"],
            comments=d["comments"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Feedback recorded.",
    ),
    Action.ASSESS_EXTENSION_REASON: ActionSpec(
        f.AssessExtensionForm,
        lambda c, u, d, _: s.case_assess_extension_reason(
            case=c,
            actor=u,
            good_reason=d["good_reason"],
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Assessment recorded.",
    ),
    Action.RECORD_DATE_NOT_AGREED: ActionSpec(
        f.DateNotAgreedForm,
        lambda c, u, d, _: s.case_record_date_not_agreed(
            case=c,
            actor=u,
            proposed_due=d["proposed_due"],
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Recorded. The ombudsman's details to give the complainant are in the timeline.",
    ),
    Action.RECORD_MANAGERS_TOLD: ActionSpec(
        f.ManagersToldForm,
        lambda c, u, d, _: s.case_record_managers_told(
            case=c,
            actor=u,
            told=d["told"],
            how=d["how"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Recorded who was told.",
    ),
    Action.SIGN_OFF: ActionSpec(
        f.SignOffForm,
        lambda c, u, d, _: s.case_sign_off(
            case=c,
            actor=u,
            step=d["step"],
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Sign-off recorded. The step can now be taken.",
        _steps_to_sign_off,
    ),
    Action.NOT_INVESTIGATE: ActionSpec(
        f.NotInvestigateForm,
        lambda c, u, d, _: s.case_decide_not_to_investigate(
            case=c,
            actor=u,
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "The decision not to investigate is recorded, and the case is closed.",
        warning=True,
        confirm=(
            "The decision not to investigate will be recorded and the case will close. This "
            "cannot be undone."
        ),
    ),
    Action.REFER_TO_AGENCY: ActionSpec(
        f.AgencyReferralForm,
        lambda c, u, d, _: s.case_record_agency_referral(
            case=c,
            actor=u,
            agency=d["agency"],
            information=d["information"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Referral to the agency recorded.",
    ),
    Action.ROUTE_OUT: ActionSpec(
        f.RouteOutForm,
        lambda c, u, d, _: s.case_route_out(
            case=c,
            actor=u,
            route_code=d["route_code"],
            passed_to=d["passed_to"],
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Routed out of this procedure; where it went and to whom is recorded.",
        _pack,
        warning=True,
        confirm=(
            "The matter will leave this procedure, recorded with where it went and to whom, and "
            "the case will close. This cannot be undone."
        ),
    ),
    Action.ADD_NOTE: ActionSpec(
        f.NoteForm,
        lambda c, u, d, _: s.case_add_note(
            case=c,
            actor=u,
            text=d["text"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
            uploads=d.get("files", []),
        ),
        "Note added.",
    ),
    Action.RECORD_COMMUNICATION: ActionSpec(
        f.CommunicationForm,
        lambda c, u, d, _: s.case_record_communication(
            case=c,
            actor=u,
            direction=d["direction"],
            channel=d["channel"],
            summary=d["summary"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
            uploads=d.get("files", []),
        ),
        "Communication recorded.",
    ),
    Action.AGREE_UPDATES: ActionSpec(
        AgreeUpdatesForm,
        lambda c, u, d, _: s.case_agree_updates(
            case=c,
            actor=u,
            every=d["every"],
            note=d["note"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Update interval recorded. The case shows when the next update is due.",
        _pack,
    ),
    Action.HOLD_AUTO_CLOSE: ActionSpec(
        f.HoldAutoCloseForm,
        lambda c, u, d, _: s.case_hold_auto_close(
            case=c,
            actor=u,
            reason=d["reason"],
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "The case is kept open: it will not close by itself. Close it when it is done.",
    ),
    Action.CORRECT_DETAILS: ActionSpec(
        CorrectDetailsForm,
        lambda c, u, d, form: s.case_correct_details(
            case=c,
            actor=u,
            changes=form.changes(),
            reason=d["reason"],
            confirm_effects=bool(d.get(CONFIRM)),
            occurred_at=d["occurred_at"],
            seen_sequence=d[SEEN],
        ),
        "Details corrected. The timeline shows each one before and after.",
        lambda case, pack: {"case": case, "pack": pack},
    ),
}
