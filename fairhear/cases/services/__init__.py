"""Every write to a case, by concern. Each service locks the case, asks the domain whether the
move is allowed, writes the new state and its event in one transaction, and recomputes the
clocks (`transitions._transition` is the one door).

Services are `case_<action>`, keyword-only and typed (STYLE.md §3). A refused move raises
TransitionRejected; bad input raises CaseInputError; nothing is ever silently dropped. A
service given `seen_sequence` (the case's last event as the colleague's page showed it) refuses
if anything was recorded since, saying what (docs/architecture.md, "A request").
"""

from fairhear.cases.services.acceptance import (
    case_accept,
    case_refuse,
    case_resolve_locally,
    case_start_local_resolution,
)
from fairhear.cases.services.access import (
    case_access_record,
    case_change_access_names,
    case_restrict_access,
    case_unrestrict_access,
)
from fairhear.cases.services.additional import (
    AdditionalComplaintQuestion,
    case_take_into_response,
)
from fairhear.cases.services.agreement import case_record_date_not_agreed
from fairhear.cases.services.anonymous import (
    case_decide_not_to_investigate,
    case_record_agency_referral,
)
from fairhear.cases.services.clocks import case_timetable
from fairhear.cases.services.closure import (
    case_auto_close,
    case_close,
    case_hold_auto_close,
    cases_auto_close_sweep,
)
from fairhear.cases.services.contacts import (
    case_change_kind,
    case_close_contact,
    case_convert_to_complaint,
    case_forward_compliment,
)
from fairhear.cases.services.corrections import (
    CorrectionNeedsConfirmation,
    case_correct_details,
)
from fairhear.cases.services.deadlines import (
    case_record_missed_deadline,
    case_record_window_closed,
)
from fairhear.cases.services.escalation import (
    ESCALATION_REFUSED,
    case_accept_escalation,
    case_refuse_escalation,
    case_request_escalation,
)
from fairhear.cases.services.intake import (
    AlreadyReceived,
    PersonDetails,
    PolicyVersionUnconfirmed,
    case_receive,
)
from fairhear.cases.services.people import MatchOffer, PersonMatchUncertain
from fairhear.cases.services.records import (
    SATISFACTION,
    TOLD_HOW,
    FeedbackAlreadyGiven,
    case_add_note,
    case_assess_extension_reason,
    case_record_communication,
    case_record_feedback,
    case_record_managers_told,
    case_record_ombudsman_referral,
)
from fairhear.cases.services.restrictions import (
    WARNED_HOW,
    case_apply_restriction,
    case_lift_restriction,
    case_record_restriction_notice,
    case_report_behaviour,
    case_review_restriction,
    case_warn_about_behaviour,
)
from fairhear.cases.services.routing import case_route_out
from fairhear.cases.services.sign_off import case_sign_off
from fairhear.cases.services.stages import (
    Outcome,
    case_acknowledge,
    case_allocate,
    case_extend,
    case_record_response_receipt,
    case_respond,
)
from fairhear.cases.services.transitions import (
    CLOCK_SKEW,
    SYSTEM_ACTOR,
    CaseInputError,
)
from fairhear.cases.services.updates import case_agree_updates
from fairhear.domain.lifecycle import TransitionRejected

__all__ = [
    "CLOCK_SKEW",
    "ESCALATION_REFUSED",
    "SATISFACTION",
    "SYSTEM_ACTOR",
    "TOLD_HOW",
    "WARNED_HOW",
    "AdditionalComplaintQuestion",
    "AlreadyReceived",
    "CaseInputError",
    "CorrectionNeedsConfirmation",
    "FeedbackAlreadyGiven",
    "MatchOffer",
    "Outcome",
    "PersonDetails",
    "PersonMatchUncertain",
    "PolicyVersionUnconfirmed",
    "TransitionRejected",
    "case_accept",
    "case_accept_escalation",
    "case_access_record",
    "case_acknowledge",
    "case_add_note",
    "case_agree_updates",
    "case_allocate",
    "case_apply_restriction",
    "case_assess_extension_reason",
    "case_auto_close",
    "case_change_access_names",
    "case_change_kind",
    "case_close",
    "case_close_contact",
    "case_convert_to_complaint",
    "case_correct_details",
    "case_decide_not_to_investigate",
    "case_extend",
    "case_forward_compliment",
    "case_hold_auto_close",
    "case_lift_restriction",
    "case_receive",
    "case_record_agency_referral",
    "case_record_communication",
    "case_record_date_not_agreed",
    "case_record_feedback",
    "case_record_managers_told",
    "case_record_missed_deadline",
    "case_record_ombudsman_referral",
    "case_record_response_receipt",
    "case_record_restriction_notice",
    "case_record_window_closed",
    "case_refuse",
    "case_refuse_escalation",
    "case_report_behaviour",
    "case_request_escalation",
    "case_resolve_locally",
    "case_respond",
    "case_restrict_access",
    "case_review_restriction",
    "case_route_out",
    "case_sign_off",
    "case_start_local_resolution",
    "case_take_into_response",
    "case_timetable",
    "case_unrestrict_access",
    "case_warn_about_behaviour",
    "cases_auto_close_sweep",
]
