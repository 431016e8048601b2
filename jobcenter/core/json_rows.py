"""Children read with their parent in one query: PostgreSQL builds the children's rows as an array of
JSON objects in a column of the parent's row, and they come back as model instances. A page that
shows parents with their children then costs one query instead of two."""

from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F
from django.db.models.functions import JSONObject

M = TypeVar("M", bound=models.Model)


def json_rows(children: "models.QuerySet[Any]") -> ArraySubquery:
    """Every concrete field of the children (a queryset that refers to its parent through OuterRef), in
    its own order, as one array column."""
    fields = {field.attname: F(field.attname) for field in children.model._meta.concrete_fields}
    return ArraySubquery(children.values(row=JSONObject(**fields)).values("row"))


def instances(model: type[M], rows: list[dict[str, Any]]) -> list[M]:
    """The instances `json_rows` carried, each value converted to its field's type (dates, moments)."""
    fields = model._meta.concrete_fields
    made = []
    for row in rows:
        instance = model(**{field.attname: field.to_python(row[field.attname]) for field in fields})
        instance._state.adding = False
        instance._state.db = DEFAULT_DB_ALIAS
        made.append(instance)
    return made
