"""Stream both audit chains and name the first broken event, if any. Exit status 1 when broken."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jobcenter.audit.services import audit_verify


class Command(BaseCommand):
    help = "Kontrollerer revisionssporets hashkæder og angiver den første brudte hændelse."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-alert", action="store_true", help="Rejs ikke en alarm ved brud.")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = []
        for result in audit_verify(raise_alert=not options["no_alert"]):
            if result.broken is None:
                self.stdout.write(f"{result.chain}: {result.checked} hændelser kontrolleret, kæden er intakt.")
            else:
                broken.append(result)
                self.stdout.write(
                    f"{result.chain}: BRUDT ved hændelse {result.broken.event_id} ({result.broken.reason}); "
                    f"{result.checked} hændelser kontrolleret."
                )
        if broken:
            raise CommandError("Revisionssporet er brudt.")
