"""Who acts on an allocated case: its handler, or someone else only through a recorded override.

Holding the stage's role is not enough once a case is allocated: the allocated handler
acknowledges, extends, responds and closes (Pivotal §9 stage 1, "the allocated Service Manager
will"; MMBM §8.2.4 and Code 6.13, where the next stage must go to someone else, depend on
knowing who acted). A colleague who holds the capability but is not the handler, the lead
officer included, may act for them only by giving the reason, which the event records and the
timeline shows.
"""

from __future__ import annotations

from fairhear.domain.lifecycle import Action, CaseSnapshot, TransitionRejected

# The actions that belong to the case's allocated handler.
HANDLER_ACTIONS = frozenset({Action.ACKNOWLEDGE, Action.EXTEND, Action.RESPOND, Action.CLOSE})


def needs_override(case: CaseSnapshot, action: Action, actor_id: int) -> bool:
    """True when `actor_id` is not the allocated handler of an action that is the handler's."""
    return action in HANDLER_ACTIONS and case.handler_id not in {None, actor_id}


def check_override(
    case: CaseSnapshot, action: Action, *, actor_id: int, handler: str, override: str
) -> dict | None:
    """The override to record when someone other than the handler acts (who for, and why);
    None when the handler acts. Without a reason it is refused, saying how to give one."""
    if not needs_override(case, action, actor_id):
        return None
    if not override.strip():
        raise TransitionRejected(
            f"This case is allocated to {handler}, so “{action.label}” is theirs to do. To do "
            "it for them, say why you are acting for the allocated handler; the reason is "
            "recorded in the timeline."
        )
    return {"for_handler_id": case.handler_id, "for_handler": handler, "reason": override.strip()}
