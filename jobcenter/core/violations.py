"""Rule violations: what every pure rule function returns and every service raises.

A violation carries the rule's stable code from DESIGN.md §3 (`L1`, `D2`, `H2.deadline`, ...), a
Danish message for the person at the keyboard, and optionally the form field it belongs to, so a
view can show the message next to the field without knowing the rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import Promise


@dataclass(frozen=True)
class Violation:
    code: str
    message: str | Promise
    field: str | None = None

    @property
    def rule(self) -> str:
        """The rule id without its suffix: `L5.contact` belongs to `L5`."""
        return self.code.split(".", 1)[0]


class RuleViolationError(ValidationError):
    """A write refused because it breaks one or more rules; nothing was written by the refused step."""

    violations: tuple[Violation, ...]

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = tuple(violations)
        by_field: dict[str, list[ValidationError]] = {}
        for violation in self.violations:
            by_field.setdefault(violation.field or NON_FIELD_ERRORS, []).append(
                ValidationError(str(violation.message), code=violation.code)
            )
        super().__init__(by_field)

    @property
    def codes(self) -> list[str]:
        return [violation.code for violation in self.violations]


def raise_if_any(violations: Iterable[Violation]) -> None:
    found = list(violations)
    if found:
        raise RuleViolationError(found)
