"""The case page's mandate section. A tag, so the section brings its own (single-query) read with it."""

from typing import Any

from django import template

from cases.models import Case
from jobcenter.casework.selectors_mandates import case_mandates

register = template.Library()


@register.inclusion_tag("casework/mandates/_section.html")
def case_mandates_section(case: Case) -> dict[str, Any]:
    return {"case": case, "rows": case_mandates(case)}
