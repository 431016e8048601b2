"""manage.py bench: server time and statements per page on the data in this database, and a load run.

    manage.py bench --label small --save var/bench/small.json
    manage.py bench --label copenhagen --compare var/bench/small.json --load

Run it with production settings (`make bench` does) on data from `manage.py generate_synthetic`."""

import json
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobcenter.benchmark.export import export_run
from jobcenter.benchmark.load import load_run
from jobcenter.benchmark.probes import FLOOR, probes, signed_in_client, visit
from jobcenter.benchmark.stats import PageResult, summarise, table
from jobcenter.benchmark.subjects import bench_subjects, load_users


class Command(BaseCommand):
    help = "Measure the benchmarked pages (median, p95, statements) and optionally run the load test."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--label", default="this", help="what this run is, e.g. small or copenhagen")
        parser.add_argument("--repeat", type=int, default=30, help="visits per page (after two warm-ups)")
        parser.add_argument("--save", type=Path, help="write the results as JSON here")
        parser.add_argument("--compare", type=Path, help="a saved run to put ratios against")
        parser.add_argument("--load", action="store_true", help="also run the load test with wrk")
        parser.add_argument("--users", type=int, default=30)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
        parser.add_argument("--export-rows", type=int, default=0, help="also stream a CSV export of this many events")

    def handle(self, *args: Any, **options: Any) -> None:
        # WeasyPrint logs every step of every PDF at INFO; hundreds of PDFs would bury the table.
        for noisy in ("weasyprint", "fontTools"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        subjects = bench_subjects()
        pages = probes(subjects)
        clients = {
            "caseworker": signed_in_client(subjects.caseworker),
            "supervisor": signed_in_client(subjects.supervisor),
            "union_representative": signed_in_client(subjects.union_representative),
        }
        results: list[PageResult] = []
        for probe in pages:
            client = clients[probe.persona]
            for _warm_up in range(2):
                visit(client, probe)
            samples = [visit(client, probe) for _visit in range(options["repeat"])]
            failed = [sample.status for sample in samples if sample.status != 200]
            if failed:
                self.stderr.write(f"{probe.name}: status {failed[0]} on {len(failed)} visits")
            results.append(summarise(probe.name, samples))
            self.stdout.write(f"  measured {probe.name}", ending="\n")
            self.stdout.flush()

        baseline, baseline_label = None, ""
        if options["compare"]:
            saved = json.loads(options["compare"].read_text())
            baseline = {row["name"]: PageResult(**row) for row in saved["pages"]}
            baseline_label = saved["label"]
        self.stdout.write(f"\n{options['label']}: {options['repeat']} visits per page, server time in-process\n")
        self.stdout.write(table(results, baseline, baseline_label))

        report: dict[str, Any] = {"label": options["label"], "pages": [result.as_dict() for result in results]}
        if options["load"]:
            outcome = load_run(
                users=load_users(options["users"]),
                seconds=options["seconds"],
                workers=options["workers"],
                seed=1,
            )
            report["load"] = {**outcome.__dict__, "per_second": outcome.per_second}
            self.stdout.write(
                f"\nload: {outcome.users} users, {outcome.workers} gunicorn workers, {outcome.seconds:.0f} s: "
                f"{outcome.requests} requests ({outcome.per_second:.1f}/s), p50 {outcome.p50_ms:.0f} ms, "
                f"p95 {outcome.p95_ms:.0f} ms, p99 {outcome.p99_ms:.0f} ms, errors {outcome.errors or 'none'}"
            )
        if options["export_rows"]:
            exported = export_run(
                clients["supervisor"], jobcentre_id=subjects.case.citizen.jobcentre_id, rows=options["export_rows"]
            )
            report["export"] = exported.__dict__
            self.stdout.write(
                f"\nCSV export: {exported.rows} events, {exported.megabytes:.0f} MB in {exported.seconds:.0f} s; "
                f"peak memory of this process grew {exported.peak_growth_mb:.1f} MB"
            )
        if options["save"]:
            options["save"].parent.mkdir(parents=True, exist_ok=True)
            options["save"].write_text(json.dumps(report, indent=2))
        floor = next(result for result in results if result.name == FLOOR)
        self.stdout.write(f"\nfloor page: median {floor.median_ms:.1f} ms")
