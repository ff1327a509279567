"""The placeholder language of letter templates, and the parts a pack requires in every stage
response (Pivotal §9 stage 1 step 6, §11.2 g; Code 6.9, 6.19)."""

from pathlib import Path

import pytest

from fairhear.domain.letters import LetterKind, LetterText, TemplateProblem, check_template, fill
from fairhear.domain.lifecycle import TransitionRejected
from fairhear.domain.policy.load import PackInvalid, load_pack_text, load_shipped_pack
from fairhear.domain.policy.schema import ResponsePart
from fairhear.domain.response_parts import check_response_parts, check_template_parts


def test_a_placeholder_reads_the_letters_own_field():
    text = "Dear {{ complainant.name }}, your reference is {{reference}}."
    assert check_template(LetterKind.REFUSAL, text) == ["complainant.name", "reference"]
    assert fill(text, {"complainant.name": "Ada", "reference": "PIV-1"}) == (
        "Dear Ada, your reference is PIV-1."
    )


def test_an_unknown_field_is_refused_naming_it_and_the_fields_to_use():
    with pytest.raises(TemplateProblem) as refused:
        check_template(LetterKind.REFUSAL, "Dear {{ complainant.nmae }}")
    message = str(refused.value)
    assert "{{ complainant.nmae }}" in message
    assert "not a field of a complaint not accepted letter" in message
    assert "{{ complainant.name }}" in message


def test_a_field_of_another_kind_of_letter_is_refused():
    # The extension's new date is not something a closure letter carries.
    with pytest.raises(TemplateProblem, match=r"extension\.new_date"):
        check_template(LetterKind.CLOSURE, "We will reply by {{ extension.new_date }}.")


@pytest.mark.parametrize(
    "text",
    [
        "{% if complainant.name %}Dear you{% endif %}",
        "{{ complainant.name|upper }}",
        "{{ complainant.__class__ }}",
        "Dear {{ complainant.name }",
        "{# a comment #}",
    ],
)
def test_template_code_and_stray_braces_are_refused_with_the_line(text):
    with pytest.raises(TemplateProblem, match="line 1"):
        check_template(LetterKind.ACKNOWLEDGEMENT, text)


def test_the_stray_brace_is_found_on_its_own_line():
    with pytest.raises(TemplateProblem, match="on line 3"):
        check_template(LetterKind.CLOSURE, "Dear {{ complainant.name }}\n\n{% now %}")


def test_filled_text_is_never_read_again_as_a_template():
    # A complainant who writes braces in their complaint gets them back as typed.
    assert fill("{{ summary }}", {"summary": "{{ reference }}"}) == "{{ reference }}"


def test_a_letters_body_splits_into_paragraphs_at_blank_lines():
    text = LetterText("Subject", "Dear Ada\n\nLine one\nline two\n\n\nYours")
    assert text.paragraphs == [["Dear Ada"], ["Line one", "line two"], ["Yours"]]


def test_each_shipped_pack_declares_the_parts_of_a_response():
    pivotal = load_shipped_pack("pivotal").responses
    # Pivotal §9 stage 1 step 6 and §11.2 g.
    assert pivotal.required_parts == (
        ResponsePart.REASONS,
        ResponsePart.POLICY_REFERENCES,
        ResponsePart.OUTSTANDING_ACTIONS,
        ResponsePart.HOW_TO_ESCALATE,
    )
    assert "§9 stage 1 step 6" in pivotal.cites
    code = load_shipped_pack("hos-code-2024").responses
    # Code 6.9: the complaint definition and any remedy too.
    assert ResponsePart.COMPLAINT_DEFINITION in code.required_parts
    assert ResponsePart.REMEDY in code.required_parts
    assert load_shipped_pack("mmbm").responses.required_parts == (
        ResponsePart.REASONS,
        ResponsePart.HOW_TO_ESCALATE,
    )


def _pack_with(responses: str) -> str:
    text = (Path(__file__).parent.parent / "policy" / "packs" / "pivotal.toml").read_text()
    start = text.index("[responses]")
    end = text.index("\n\n", start)
    return text[:start] + responses + text[end:]


def test_an_unknown_part_is_a_pack_error_naming_the_field_and_the_choices():
    with pytest.raises(PackInvalid) as invalid:
        load_pack_text(_pack_with('[responses]\nrequired_parts = ["reason"]\ncites = "§9"'))
    message = str(invalid.value)
    assert "responses.required_parts" in message
    assert "'reason'" in message
    assert "'reasons'" in message


def test_a_pack_without_responses_requires_nothing_more():
    start = _pack_with("").replace("[responses]", "")
    assert load_pack_text(start).responses.required_parts == ()


def test_each_missing_part_is_named_in_the_refusal():
    pack = load_shipped_pack("pivotal")
    given = {
        ResponsePart.REASONS: "The repair was late.",
        ResponsePart.POLICY_REFERENCES: "",
        ResponsePart.OUTSTANDING_ACTIONS: "",
        ResponsePart.HOW_TO_ESCALATE: "Ask for stage 2.",
    }
    with pytest.raises(TransitionRejected) as refused:
        check_response_parts(pack, given)
    message = str(refused.value)
    assert "references to the policies, procedures or law" in message
    assert "the outstanding actions and their timescales" in message
    assert "the reasons for the decision" not in message
    assert "(§9 stage 1 step 6; §11.2 f and g)" in message


def test_a_template_leaving_out_a_required_part_is_refused_naming_its_placeholder():
    pack = load_shipped_pack("pivotal")
    with pytest.raises(TransitionRejected, match=r"\{\{ response.how_to_escalate \}\}"):
        check_template_parts(
            pack,
            ["response.reasons", "response.policy_references", "response.outstanding_actions"],
        )
