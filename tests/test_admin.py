"""The administrator browses everything in the admin; case data there is read-only, so the admin can
never become a way around the services and their rules."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cases.models import Case, DecisionStatus, JournalNote
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    call_command("load_demo", verbosity=0)
    verified_login(client, User.objects.get(username="admin"))
    return client


def test_every_admin_list_and_detail_page_renders_for_the_demo(admin_client):
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert admin_client.get(change).status_code == 200, change


def test_case_data_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    case = Case.objects.first()
    note = JournalNote.objects.first()
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
    response = admin_client.post(reverse("admin:cases_case_change", args=[case.pk]), {"fraud_suspected": "on"})
    assert response.status_code == 403
    assert (
        admin_client.post(reverse("admin:cases_journalnote_delete", args=[note.pk]), {"post": "yes"}).status_code == 403
    )
    assert JournalNote.objects.filter(pk=note.pk).exists()


def test_the_citizens_cpr_is_masked_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:cases_citizen_changelist"))
    assert b"120385-XXXX" in response.content
    assert b"1203854321" not in response.content


def test_user_facing_text_is_danish_with_english_as_second_language():
    assert str(DecisionStatus.DRAFT.label) == "Kladde"
    with translation.override("en"):
        assert str(DecisionStatus.DRAFT.label) == "Draft"
