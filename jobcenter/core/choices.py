"""Choice labels, translated once per language.

Model.get_FOO_display translates every choice of the field on each call (it hashes the lazy labels to
build a dict): the desk's list of 50 cases paid for 300 translations, a long timeline for a thousand.
These labels are built once per field (or choices class) and language, then looked up."""

from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import get_language


@lru_cache(maxsize=256)
def _class_labels(choices: type[models.Choices], language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in choices.choices}


@lru_cache(maxsize=256)
def _field_labels(field: "models.Field[Any, Any]", language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


def choice_labels(choices: type[models.Choices]) -> dict[Any, str]:
    """Every value of a choices class with its label in the active language."""
    return _class_labels(choices, get_language())


def display(instance: models.Model, field_name: str) -> str:
    """What get_FOO_display returns, without translating the field's other choices."""
    field = instance._meta.get_field(field_name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{field_name} is not a field with choices")
    value = getattr(instance, field.attname)
    return _field_labels(field, get_language()).get(value, value)
