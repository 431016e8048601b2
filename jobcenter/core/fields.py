"""Model fields shared by the apps."""

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models


class BoundedTextField(models.TextField):
    """A TextField whose max_length is validated by full_clean(), not only hinted to form widgets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))
