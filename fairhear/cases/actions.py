"""Which form each action uses and which service it calls: the glue between the one generic
action view and the services. Each entry parses a valid form into one service call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from fairhear.accounts.models import User
from fairhear.accounts.selectors import colleague_list_with
from fairhear.cases import forms as f
from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.domain.lifecycle import Action
from fairhear.domain.policy.schema import PolicyPack


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How to show and carry out one action."""

    form: type[forms.Form]
    run: Callable[[Case, User, dict, forms.Form], Case]
    done: str  # the success message
    form_kwargs: Callable[[Case, PolicyPack], dict] | None = None
    warning: bool = False  # shown as a warning button (closing, refusing)


def _pack(case: Case, pack: PolicyPack) -> dict:
    return {"pack": pack}


def _pack_and_stage(case: Case, pack: PolicyPack) -> dict:
    return {"pack": pack, "stage": case.stage}


def _handlers(case: Case, pack: PolicyPack) -> dict:
    stage = pack.stage(max(case.stage, 1))
    colleagues = colleague_list_with(organisation=case.organisation, capability=stage.handler)
    return {"colleagues": colleagues.exclude(pk__in=case.about_colleagues.all())}


ACTIONS: dict[Action, ActionSpec] = {
    Action.ACCEPT: ActionSpec(
        f.AcceptForm,
        lambda c, u, d, _: s.case_accept(
            case=c,
            actor=u,
            exceptional_circumstances=d.get("exceptional_circumstances", ""),
            note=d["note"],
            occurred_at=d["occurred_at"],
        ),
        "Complaint accepted at stage 1.",
        _pack,
    ),
    Action.REFUSE: ActionSpec(
        f.RefuseForm,
        lambda c, u, d, _: s.case_refuse(
            case=c,
            actor=u,
            reason_code=d["reason_code"],
            explanation=d["explanation"],
            occurred_at=d["occurred_at"],
        ),
        "Complaint not accepted. The reason is recorded for the letter.",
        _pack,
        warning=True,
    ),
    Action.START_LOCAL_RESOLUTION: ActionSpec(
        f.StartLocalResolutionForm,
        lambda c, u, d, _: s.case_start_local_resolution(
            case=c, actor=u, occurred_at=d["occurred_at"], note=d["note"]
        ),
        "Local resolution contact recorded.",
    ),
    Action.RESOLVE_LOCALLY: ActionSpec(
        f.ResolveLocallyForm,
        lambda c, u, d, _: s.case_resolve_locally(
            case=c, actor=u, outcome=d["outcome"], occurred_at=d["occurred_at"]
        ),
        "Resolved locally and closed.",
    ),
    Action.ALLOCATE: ActionSpec(
        f.AllocateForm,
        lambda c, u, d, _: s.case_allocate(
            case=c, actor=u, handler=d["handler"], occurred_at=d["occurred_at"]
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
            occurred_at=d["occurred_at"],
        ),
        "Extension recorded. The response date has moved.",
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
        ),
        "Response recorded.",
    ),
    Action.RECORD_RESPONSE_RECEIPT: ActionSpec(
        f.ResponseReceiptForm,
        lambda c, u, d, _: s.case_record_response_receipt(
            case=c, actor=u, received_on=d["occurred_at"]
        ),
        "Date of receipt recorded.",
    ),
    Action.REQUEST_ESCALATION: ActionSpec(
        f.RequestEscalationForm,
        lambda c, u, d, _: s.case_request_escalation(
            case=c, actor=u, requested_at=d["occurred_at"], reasons=d["reasons"]
        ),
        "Escalation request recorded.",
    ),
    Action.ACCEPT_ESCALATION: ActionSpec(
        f.AcceptEscalationForm,
        lambda c, u, d, _: s.case_accept_escalation(
            case=c, actor=u, discretion=d["discretion"], occurred_at=d["occurred_at"]
        ),
        "Escalation accepted.",
    ),
    Action.REFUSE_ESCALATION: ActionSpec(
        f.RefuseEscalationForm,
        lambda c, u, d, _: s.case_refuse_escalation(
            case=c, actor=u, reason=d["reason"], occurred_at=d["occurred_at"]
        ),
        "Escalation refused.",
        warning=True,
    ),
    Action.CLOSE: ActionSpec(
        f.CloseForm,
        lambda c, u, d, _: s.case_close(
            case=c,
            actor=u,
            reason_code=d["reason_code"],
            note=d["note"],
            occurred_at=d["occurred_at"],
        ),
        "Case closed.",
        _pack,
        warning=True,
    ),
    Action.CONVERT_TO_COMPLAINT: ActionSpec(
        f.ConvertForm,
        lambda c, u, d, _: s.case_convert_to_complaint(
            case=c, actor=u, reason=d["reason"], occurred_at=d["occurred_at"]
        ),
        "Now logged as a complaint, received when it became one.",
    ),
    Action.FORWARD_COMPLIMENT: ActionSpec(
        f.ForwardComplimentForm,
        lambda c, u, d, _: s.case_forward_compliment(
            case=c, actor=u, note=d["note"], occurred_at=d["occurred_at"]
        ),
        "Compliment passed to the line manager.",
    ),
    Action.CLOSE_CONTACT: ActionSpec(
        f.CloseContactForm,
        lambda c, u, d, _: s.case_close_contact(
            case=c, actor=u, outcome=d["outcome"], occurred_at=d["occurred_at"]
        ),
        "Closed.",
    ),
    Action.APPLY_RESTRICTION: ActionSpec(
        f.ApplyRestrictionForm,
        lambda c, u, d, _: s.case_apply_restriction(
            case=c,
            actor=u,
            restrictions=d["restrictions"],
            reason=d["reason"],
            notice_sent_on=d["notice_sent_on"],
            occurred_at=d["occurred_at"],
        ),
        "Restrictions recorded, with their review date.",
        warning=True,
    ),
    Action.REVIEW_RESTRICTION: ActionSpec(
        f.ReviewRestrictionForm,
        lambda c, u, d, _: s.case_review_restriction(
            case=c, actor=u, decision=d["decision"], occurred_at=d["occurred_at"]
        ),
        "Review recorded.",
    ),
    Action.LIFT_RESTRICTION: ActionSpec(
        f.LiftRestrictionForm,
        lambda c, u, d, _: s.case_lift_restriction(
            case=c, actor=u, reason=d["reason"], occurred_at=d["occurred_at"]
        ),
        "Restrictions lifted.",
    ),
    Action.RECORD_OMBUDSMAN_REFERRAL: ActionSpec(
        f.OmbudsmanReferralForm,
        lambda c, u, d, _: s.case_record_ombudsman_referral(
            case=c,
            actor=u,
            body=d["body"],
            referred_on=d["occurred_at"],
            note=d["note"],
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
        ),
        "Recorded. The ombudsman's details to give the complainant are in the timeline.",
    ),
    Action.ADD_NOTE: ActionSpec(
        f.NoteForm,
        lambda c, u, d, _: s.case_add_note(
            case=c, actor=u, text=d["text"], occurred_at=d["occurred_at"]
        ),
        "Note added.",
    ),
}
