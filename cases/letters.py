"""The text of hearing letters and complaint guidance, composed from facts (no ORM).

The stored letter is the record of what the citizen was told, so it is composed once, at sending.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.translation import gettext as _

from cases.rules import COMPLAINT_WEEKS, HearingItemFacts

SELF_INCRIMINATION_NOTICE = _(
    "Da der er mistanke om, at du har begået en strafbar handling, skal vi gøre dig opmærksom på, at du ikke "
    "har pligt til at give oplysninger, der kan have betydning for bedømmelsen af den mulige lovovertrædelse "
    "(retssikkerhedsloven og tvangsindgrebsloven § 10)."
)


def _format_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def hearing_letter_text(
    *,
    citizen_name: str,
    case_reference: str,
    items: Sequence[HearingItemFacts],
    deadline: date,
    fraud_suspected: bool,
    representative_name: str | None,
) -> str:
    """H2-H4: each item (what, when, where, how the jobcentre reads it), the deadline and what follows it."""
    lines = [
        _("Kære %(name)s") % {"name": citizen_name},
        "",
        _("Partshøring i sag %(ref)s (forvaltningslovens § 19)") % {"ref": case_reference},
        "",
        _("Før vi træffer afgørelse, vil vi gerne høre dig om følgende oplysninger:"),
    ]
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {item.title}", _("Hvad: %(what)s") % {"what": item.description}]
        if item.occurred_on is not None:
            lines.append(_("Hvornår: %(date)s") % {"date": _format_date(item.occurred_on)})
        if item.source_url:
            lines.append(_("Hvor: %(url)s") % {"url": item.source_url})
        lines.append(_("Sådan forstår jobcenteret oplysningen: %(reading)s") % {"reading": item.authority_reading})
    lines += [
        "",
        _("Du kan komme med dine bemærkninger senest %(date)s. Du kan bede om at få fristen forlænget.")
        % {"date": _format_date(deadline)},
        _("Når fristen er udløbet, kan vi træffe afgørelse, også selv om vi ikke har hørt fra dig."),
    ]
    if fraud_suspected:
        lines += ["", str(SELF_INCRIMINATION_NOTICE)]
    if representative_name:
        lines += ["", _("Kopi er sendt til din partsrepræsentant, %(name)s.") % {"name": representative_name}]
    return "\n".join(lines)


def complaint_guidance_text(*, issued_on: date) -> str:
    """Klagevejledning (FVL § 25): complain to the municipality within 4 weeks; it reconsiders, then Ankestyrelsen."""
    return _(
        "Du kan klage over afgørelsen. Klagen skal være modtaget i jobcenteret senest 4 uger efter, at du har "
        "modtaget afgørelsen (senest %(date)s, hvis du modtog den i dag). Jobcenteret genvurderer afgørelsen inden "
        "for 4 uger. Fastholder vi afgørelsen, sender vi din klage videre til Ankestyrelsen."
    ) % {"date": _format_date(complaint_deadline(issued_on=issued_on))}


def complaint_deadline(*, issued_on: date) -> date:
    return issued_on + timedelta(weeks=COMPLAINT_WEEKS)
