"""Fill an empty, migrated database with deterministic synthetic data for benchmarking."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobcenter.synthetic.fixtures import DEFAULT_ANCHOR
from jobcenter.synthetic.generate import Generator
from jobcenter.synthetic.profiles import PROFILES


class Command(BaseCommand):
    help = "Generate synthetic jobcentre data (same profile, seed and anchor give the same rows)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=sorted(PROFILES), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=DEFAULT_ANCHOR,
            help=f"The day the data ends (YYYY-MM-DD, default {DEFAULT_ANCHOR}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        profile = PROFILES[options["profile"]]
        self.stdout.write(f"Generating profile {profile.name} with seed {options['seed']}, ending {options['anchor']}")
        Generator(profile, options["seed"], options["anchor"], self.stdout.write).run()
        self.stdout.write(self.style.SUCCESS("Done."))
