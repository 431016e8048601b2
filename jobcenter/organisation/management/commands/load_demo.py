"""Demo data: the five preset jobcentres, their teams, the personas and a handful of cases, among them
the Christmas-cookie case. Everything is created through the services, so the demo obeys the rules.

The personas (password `demo`) exist only because this command creates them.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases import services as case_services
from cases.models import BenefitType, DecisionKind, EvidenceKind, MandateKind, TipChannel
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation import services as org_services
from jobcenter.organisation.models import Jobcentre, Platform, SharedProfile, Team
from jobcenter.organisation.presets import PRESETS
from jobcenter.organisation.roles import Role
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome

# Demo personas only; the command is never run in production.
DEMO_PASSWORD = "demo"
TEAMS = ("Sygedagpenge", "Kontanthjælp", "Jobafklaring")


class Command(BaseCommand):
    help = "Opretter demodata: fem jobcentre med politikker, personaer og sager (herunder julesmåkage-sagen)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Jobcentre.objects.filter(municipality_code="851").exists():
            self.stdout.write("Demodata findes allerede; intet ændret.")
            return
        with transaction.atomic():
            self._load()
        self.stdout.write(self.style.SUCCESS("Demodata oprettet. Personaer har adgangskoden «demo»."))

    def _load(self) -> None:
        centres = {
            p.municipality_code: org_services.jobcentre_create_from_preset(preset=p, acting_user=None) for p in PRESETS
        }
        teams = {
            (code, name): org_services.team_create(jobcentre=centre, name=name, acting_user=None)
            for code, centre in centres.items()
            for name in TEAMS
        }
        SharedProfile.objects.create(
            jobcentre=centres["751"], platform=Platform.FACEBOOK, account_name="Jobcenter Aarhus – Kontrolgruppen"
        )
        union_3f = org_services.union_create(name="3F", acting_user=None)
        aalborg_teams = [teams[("851", "Sygedagpenge")], teams[("851", "Kontanthjælp")]]

        def persona(username: str, first: str, last: str, role: Role, **where: Any) -> User:
            return org_services.staff_user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
                acting_user=None,
                **where,
            )

        mette = persona(
            "caseworker.aalborg", "Mette", "Madsen", Role.CASEWORKER, jobcentre=centres["851"], teams=aalborg_teams[:1]
        )
        jonas = persona(
            "caseworker2.aalborg", "Jonas", "Nielsen", Role.CASEWORKER, jobcentre=centres["851"], teams=aalborg_teams
        )
        persona("supervisor.aalborg", "Susanne", "Berg", Role.SUPERVISOR, jobcentre=centres["851"], teams=aalborg_teams)
        ahmed = persona(
            "caseworker.aarhus",
            "Ahmed",
            "Hassan",
            Role.CASEWORKER,
            jobcentre=centres["751"],
            teams=[teams[("751", "Jobafklaring")]],
        )
        lone = persona("union.3f", "Lone", "Holm", Role.UNION_REPRESENTATIVE, union=union_3f)
        persona("admin", "Anders", "Admin", Role.ADMINISTRATOR, jobcentre=centres["851"])

        cookie_case = self._cookie_case(mette, teams[("851", "Sygedagpenge")])
        case_services.mandate_record(
            citizen=cookie_case.citizen,
            case=cookie_case,
            union=union_3f,
            representative=lone,
            kind=MandateKind.PARTY_REPRESENTATIVE,
            valid_from=clock.today(),
            acting_user=mette,
        )
        self._plain_case(
            jonas, teams[("851", "Kontanthjælp")], "0709921742", "Kasper", "Poulsen", BenefitType.KONTANTHJAELP
        )
        self._plain_case(
            ahmed, teams[("751", "Jobafklaring")], "2304784418", "Fatima", "Ali", BenefitType.JOBAFKLARINGSFORLOEB
        )
        self._plain_case(
            ahmed, teams[("751", "Jobafklaring")], "1511885123", "Peter", "Sørensen", BenefitType.RESSOURCEFORLOEB
        )

    def _plain_case(self, caseworker: User, team: Team, cpr: str, first: str, last: str, benefit: str) -> None:
        citizen = case_services.citizen_create(
            jobcentre=team.jobcentre, cpr=cpr, first_name=first, last_name=last, acting_user=caseworker
        )
        case = case_services.case_open(
            citizen=citizen, benefit_type=benefit, team=team, assigned_caseworker=caseworker, acting_user=caseworker
        )
        case_services.journal_note_add(
            case=case, text="Første samtale holdt. Borgeren er motiveret for forløbet.", acting_user=caseworker
        )

    def _cookie_case(self, mette: User, team: Team) -> Any:
        """Hanne Jensen, sick-listed; a Facebook photo of Christmas cookies; a draft to add praktik hours
        that rests on the photo alone and is refused under D2 and D3, as it should have been."""
        hanne = case_services.citizen_create(
            jobcentre=team.jobcentre, cpr="1203854321", first_name="Hanne", last_name="Jensen", acting_user=mette
        )
        case = case_services.case_open(
            citizen=hanne,
            benefit_type=BenefitType.SYGEDAGPENGE,
            team=team,
            assigned_caseworker=mette,
            acting_user=mette,
        )
        case_services.evidence_add(
            case=case,
            kind=EvidenceKind.CITIZEN_STATEMENT,
            title="Hannes beskrivelse af sin funktionsevne",
            description="Hanne oplyser, at hun på grund af rygsmerter ikke kan stå op mere end en halv time ad gangen.",
            occurred_on=clock.today() - dt.timedelta(days=20),
            acting_user=mette,
        )
        tip = case_services.tip_record(
            case=case,
            channel=TipChannel.WEB_FORM,
            received_on=clock.today() - dt.timedelta(days=3),
            summary="Anonym anmeldelse: borgeren bager og sælger kager, selv om hun er sygemeldt.",
            tipper_identity="Nabo (navn kendt af jobcenteret)",
            acting_user=mette,
        )
        lookup = smc_services.lookup_record(
            case=case,
            basis=tip,
            platform=Platform.FACEBOOK,
            profile_url="https://www.facebook.com/hanne.jensen.demo",
            purpose="Sammenholde anmeldelsen med borgerens offentlige opslag.",
            content_was_public=True,
            no_contact_confirmed=True,
            outcome=LookupOutcome.FINDINGS,
            performed_at=clock.now(),
            acting_user=mette,
        )
        finding = smc_services.finding_record(
            lookup=lookup,
            description="Offentligt billede af en plade julesmåkager med teksten «Så er der bagt!».",
            relevance="Anmeldelsen angår bagning; billedet kan belyse, hvor længe borgeren kan stå op.",
            url="https://www.facebook.com/hanne.jensen.demo/photos/1",
            posted_on=clock.today() - dt.timedelta(days=5),
            acting_user=mette,
        )
        finding = smc_services.finding_mark_for_use(finding=finding, title="Billede af julesmåkager", acting_user=mette)
        decision = case_services.decision_draft(
            case=case,
            kind=DecisionKind.PRAKTIK_HOURS_INCREASE,
            summary="Praktikken øges fra 10 til 20 timer om ugen.",
            legal_basis="Lov om en aktiv beskæftigelsesindsats, kapitel 11 (virksomhedspraktik).",
            main_considerations="Borgeren synes at kunne mere, end hun har oplyst.",
            facts_relied_on="Billede af julesmåkager på Facebook.",
            acting_user=mette,
        )
        if finding.evidence_item is None:
            raise CommandError("Fundet blev ikke til et bevis.")
        case_services.decision_cite_evidence(
            decision=decision,
            evidence_item=finding.evidence_item,
            weighing="Hvis hun kan bage, kan hun arbejde mere.",
            acting_user=mette,
        )
        try:
            case_services.decision_issue(decision=decision, acting_user=mette)
        except RuleViolationError as refused:
            self.stdout.write(f"Julesmåkage-sagen {case.reference}: udstedelse afvist ({', '.join(refused.codes)}).")
        return case
