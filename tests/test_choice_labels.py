"""Choice labels translated once per language say exactly what get_FOO_display says, in either language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from cases.models import BenefitType, Case, DecisionKind
from jobcenter.core.choices import choice_labels, display


@pytest.mark.parametrize("language", ["da", "en"])
def test_display_says_what_get_foo_display_says_in_the_active_language(language):
    with translation.override(language):
        for value, _label in BenefitType.choices:
            case = Case(benefit_type=value)
            assert display(case, "benefit_type") == case.get_benefit_type_display()
        assert choice_labels(DecisionKind) == {value: str(label) for value, label in DecisionKind.choices}


def test_the_labels_follow_a_language_switch_although_they_are_kept():
    case = Case(benefit_type=BenefitType.SYGEDAGPENGE)
    with translation.override("da"):
        danish = display(case, "benefit_type")
    with translation.override("en"):
        english = display(case, "benefit_type")
    assert danish != english
    with translation.override("da"):
        assert display(case, "benefit_type") == danish


def test_the_template_filter_prints_nothing_for_a_missing_object_and_the_raw_value_for_an_unknown_one():
    template = Template('{{ case|display:"benefit_type" }}|{{ missing|display:"benefit_type" }}')
    assert template.render(Context({"case": Case(benefit_type="ukendt"), "missing": None})) == "ukendt|"
