"""Policy presets for the five largest municipalities, following the rules each has stated (DESIGN.md §1).

All five let caseworkers look without asking a manager first, so every preset reviews after the fact.
"""

from dataclasses import dataclass, field
from typing import Any

from jobcenter.organisation.models import LookupThreshold, Platform, ReviewMode


@dataclass(frozen=True)
class Preset:
    name: str
    municipality_code: str
    rule: str
    switches: dict[str, Any] = field(default_factory=dict)


_COMMON: dict[str, Any] = {
    "hearing_days": 14,
    "review_mode": ReviewMode.AFTER_THE_FACT,
    "allowed_platforms": [Platform.FACEBOOK, Platform.INSTAGRAM],
    "finding_retention_days": 30,
    "read_event_retention_days": 183,
}

PRESETS: tuple[Preset, ...] = (
    Preset(
        name="Jobcenter Aalborg",
        municipality_code="851",
        rule="Facebook er aldrig første kilde; et fund står aldrig alene; kun ved anmeldelse eller begrundet mistanke.",
        switches={**_COMMON, "lookup_threshold": LookupThreshold.TIP_OR_SUSPICION, "social_media_not_first": True},
    ),
    Preset(
        name="Jobcenter Aarhus",
        municipality_code="751",
        rule="Skriftlige retningslinjer; kun via kommunens fælles profil; kun offentligt materiale; aldrig venneanmodninger.",
        switches={
            **_COMMON,
            "lookup_threshold": LookupThreshold.TIP_OR_SUSPICION,
            "shared_profile_required": True,
            "social_media_not_first": True,
        },
    ),
    Preset(
        name="Jobcenter København",
        municipality_code="101",
        rule="Kun ved klar formodning om, at borgeren modtager en ydelse, vedkommende ikke har ret til.",
        switches={**_COMMON, "lookup_threshold": LookupThreshold.CLEAR_PRESUMPTION, "social_media_not_first": True},
    ),
    Preset(
        name="Jobcenter Odense",
        municipality_code="461",
        rule="Borgeren partshøres altid om et fund, før det bruges.",
        switches={**_COMMON, "lookup_threshold": LookupThreshold.TIP_OR_SUSPICION, "social_media_not_first": True},
    ),
    Preset(
        name="Jobcenter Esbjerg",
        municipality_code="561",
        rule="Bruges, når noget i borgerens egen forklaring giver anledning til tvivl, til sammenligning.",
        switches={**_COMMON, "lookup_threshold": LookupThreshold.TIP_OR_SUSPICION, "social_media_not_first": True},
    ),
)


def preset_by_code(municipality_code: str) -> Preset:
    return next(p for p in PRESETS if p.municipality_code == municipality_code)
