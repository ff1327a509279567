"""Check every case's event chain and stored state; exit non-zero when anything is wrong."""

from django.core.management.base import BaseCommand, CommandError

from fairhear.cases.services.verification import cases_verify_log


class Command(BaseCommand):
    help = (
        "Re-derive every case's state, stage, clocks and next deadline from its events, check "
        "every hash chain and policy version, store the result for the lead, and exit 1 if "
        "anything is wrong. Run it nightly from a scheduler."
    )

    def handle(self, *args: object, **options: object) -> None:
        check = cases_verify_log()
        summary = f"Checked {check.cases_checked} cases and {check.events_checked} events"
        if check.clean:
            self.stdout.write(f"{summary}: the log is intact.")
            return
        cases = sorted({p["reference"] for p in check.problems})
        for problem in check.problems:
            self.stdout.write(f"{problem['reference']}: {problem['problem']}")
        raise CommandError(
            f"{summary}: {len(check.problems)} problem{'s' if len(check.problems) != 1 else ''} "
            f"in {len(cases)} case{'s' if len(cases) != 1 else ''} ({', '.join(cases)}). "
            "The lead officer sees them on My work.",
            returncode=1,
        )
