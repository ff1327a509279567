"""The organisation a history file names, and its colleagues: created when absent, checked
against the file when present."""

from __future__ import annotations

import hashlib

from fairhear.accounts.models import Organisation, ServiceArea, User
from fairhear.domain.policy.load import PACKS_DIR, PackInvalid
from fairhear.importing.problems import Problem
from fairhear.policies.selectors import policy_pack_for
from fairhear.policies.services import policy_version_publish

_WORDS = {
    "name": "name",
    "nation": "nation",
    "homes_lcra": "homes.lcra",
    "homes_lcho": "homes.lcho",
}


def pack_text(spec: object) -> tuple[str, str]:
    """The pack's text and its source name: a shipped pack by name, or a pack's own text."""
    if isinstance(spec, dict):
        return str(spec.get("toml", "")), str(spec.get("source", "pack.toml"))
    path = PACKS_DIR / f"{spec}.toml"
    if not path.is_file():
        raise PackInvalid([])
    return path.read_text(encoding="utf-8"), path.name


def organisation_for(raw: dict, problems: list[Problem]) -> Organisation | None:
    """The organisation the file names, made if absent (with its areas and active pack), or
    checked against the file if present. Adds a problem for every difference found."""
    try:
        toml_text, source = pack_text(raw["policy_pack"])
    except PackInvalid:
        problems.append(
            Problem(
                f"{raw['policy_pack']!r} is not a pack shipped with Fairhear "
                "(pivotal, mmbm, hos-code-2024); give the pack's text instead.",
                field="organisation.policy_pack",
            )
        )
        return None
    homes = raw.get("homes", {})
    wanted = {
        "name": raw["name"],
        "nation": raw["nation"],
        "homes_lcra": homes.get("lcra", 0),
        "homes_lcho": homes.get("lcho", 0),
    }
    org = Organisation.objects.filter(slug=raw["slug"]).first()
    if org is None:
        org = Organisation.objects.create(slug=raw["slug"], **wanted)
        try:
            policy_version_publish(organisation=org, toml_text=toml_text, source_name=source)
        except PackInvalid as invalid:
            for p in invalid.problems:
                problems.append(Problem(str(p), field="organisation.policy_pack"))
            return None
        org.refresh_from_db()
    else:
        for key, value in wanted.items():
            if getattr(org, key) != value:
                problems.append(
                    Problem(
                        f"{org.slug} already exists with {getattr(org, key)!r}, "
                        f"not {value!r}; make the file say what Fairhear holds.",
                        field=f"organisation.{_WORDS[key]}",
                    )
                )
        digest = hashlib.sha256(toml_text.encode("utf-8")).hexdigest()
        active = org.active_policy_version
        if active is None or active.sha256 != digest:
            problems.append(
                Problem(
                    f"{org.slug}'s active policy version is "
                    f"{active or 'none'}, not the pack the file gives; "
                    "import under the version that is active.",
                    field="organisation.policy_pack",
                )
            )
    _service_areas(org, raw.get("service_areas", []), problems)
    _categories(org, raw.get("categories", []), problems)
    return org


def _service_areas(org: Organisation, areas: list[dict], problems: list[Problem]) -> None:
    for number, area in enumerate(areas, start=1):
        kind, cqc = area.get("kind", ""), area.get("cqc_registered")
        row, made = ServiceArea.objects.get_or_create(
            organisation=org,
            name=area["name"].strip(),
            defaults={"kind": kind, "cqc_registered": cqc},
        )
        if not made and (row.kind, row.cqc_registered) != (kind, cqc):
            problems.append(
                Problem(
                    f"{row.name} already exists as kind {row.kind!r}, CQC registered "
                    f"{row.cqc_registered}; the file says {kind!r}, {cqc}.",
                    field=f"organisation.service_areas[{number}]",
                )
            )


def _categories(org: Organisation, categories: list[str], problems: list[Problem]) -> None:
    if org.active_policy_version is None:
        return
    known = [c.code for c in policy_pack_for(org.active_policy_version).categories]
    unknown = [c for c in categories if c not in known]
    if unknown:
        problems.append(
            Problem(
                f"The policy has no categories {', '.join(unknown)}; its categories are "
                f"{', '.join(known)}.",
                field="organisation.categories",
            )
        )


def colleagues_for(
    org: Organisation, colleagues: list[dict], problems: list[Problem]
) -> tuple[dict[str, User], list[str]]:
    """Each colleague of the file by e-mail address, made if absent; and those made."""
    users, made = {}, []
    for number, item in enumerate(colleagues, start=1):
        email = item["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.organisation_id != org.pk:
            problems.append(
                Problem(
                    f"{email} belongs to a colleague of another organisation.",
                    field=f"colleagues[{number}].email",
                )
            )
            continue
        if user is None:
            user = User(
                username=email,
                email=email,
                first_name=item.get("first_name", ""),
                last_name=item.get("last_name", ""),
                job_title=item.get("job_title", ""),
                organisation=org,
                capabilities=list(item.get("capabilities", [])),
            )
            # They sign in once an administrator sends them an invitation (docs/import.md).
            user.set_unusable_password()
            user.save()
            made.append(email)
        users[email] = user
    for item in colleagues:
        manager = users.get(str(item.get("line_manager", "")).lower())
        user = users.get(item["email"])
        if manager is not None and user is not None and user.line_manager_id != manager.pk:
            if item["email"] not in made:
                problems.append(
                    Problem(
                        f"{user.email} already has {user.line_manager or 'no one'} as line "
                        f"manager, not {manager.email}.",
                        field="colleagues.line_manager",
                    )
                )
                continue
            user.line_manager = manager
            user.save(update_fields=["line_manager"])
    return users, made
