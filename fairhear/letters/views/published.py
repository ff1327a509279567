"""The organisation's complaints policy, published for anyone without signing in: the full
version, the easy-read version and a printable PDF, all generated from its active policy pack
(Pivotal §9 stage 1 step 4)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from fairhear.accounts.models import Organisation
from fairhear.domain.policy.published import easy_read, published_policy
from fairhear.letters.render import brand_colour, css_string, organisation_lines, pdf_from_html
from fairhear.letters.selectors import organisation_by_slug
from fairhear.policies.selectors import policy_pack_for


def _policy_context(slug: str) -> dict:
    try:
        org = organisation_by_slug(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No organisation publishes a policy at this address.") from None
    if org.active_policy_version is None:
        raise Http404("This organisation has not published a policy yet.")
    pack = policy_pack_for(org.active_policy_version)
    ways = [f"You can contact us: {line}." for line in organisation_lines(org)]
    return {
        "org": org,
        "policy": published_policy(pack, ways_to_complain=ways),
        "easy_read": easy_read(pack),
        "brand_colour": brand_colour(org),
    }


@login_not_required
def policy_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The policy in words: how to complain, stages and timescales, what we cannot deal with,
    how to take it further, and the ombudsman or regulator to go to."""
    return render(request, "letters/pages/policy.html", _policy_context(slug))


@login_not_required
def policy_easy_read(request: HttpRequest, slug: str) -> HttpResponse:
    """The same policy as short sentences, one idea per line."""
    return render(request, "letters/pages/policy_easy_read.html", _policy_context(slug))


@login_not_required
def policy_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The policy as a printable, tagged PDF."""
    context = _policy_context(slug)
    context["css_organisation"] = css_string(context["org"].name)
    html = render_to_string("letters/pdf/policy.html", context)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-complaints-policy.pdf"'
    return response
