"""What PostgreSQL itself refuses, whatever code (or a person with psql) tries: raw SQL against the case tables."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases import services as case_services
from cases.models import Decision, DecisionAttempt, DecisionEvidence, DecisionStatus, JournalNote
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import adverse_draft, cite, medical_assessment, other_information, writes_nothing

pytestmark = pytest.mark.django_db


def raw(sql: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def refused_by_database(sql: str, params: list | None = None, error: type[Exception] = DatabaseError) -> None:
    with pytest.raises(error), transaction.atomic():
        raw(sql, params)


# --- Journal notes (L7): written once, never edited or deleted -------------------------------------------


def test_journal_notes_cannot_be_edited_or_deleted_with_raw_sql(world):
    note = case_services.journal_note_add(
        case=world.cookie_case, text="Telefonsamtale med Hanne om sygemeldingen.", acting_user=world.mette
    )
    refused_by_database("UPDATE cases_journalnote SET text = %s WHERE id = %s", ["Ændret bagefter.", note.pk])
    refused_by_database("DELETE FROM cases_journalnote WHERE id = %s", [note.pk])
    refused_by_database("DELETE FROM cases_journalnote WHERE case_id = %s", [world.cookie_case.pk])
    note.refresh_from_db()
    assert note.text == "Telefonsamtale med Hanne om sygemeldingen."


def test_journal_notes_cannot_be_edited_through_the_orm(world):
    note = case_services.journal_note_add(case=world.cookie_case, text="Møde aftalt.", acting_user=world.mette)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).update(text="Møde aflyst.")
    with pytest.raises(DatabaseError), transaction.atomic():
        note.delete()
    assert JournalNote.objects.filter(pk=note.pk, text="Møde aftalt.").exists()


def test_a_journal_note_of_only_whitespace_is_refused(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.journal_note_add(case=world.cookie_case, text=" \n\t ", acting_user=world.mette)
    assert refused.value.codes == ["INPUT.blank"]


def test_a_journal_note_is_written_trimmed_with_its_author(world):
    note = case_services.journal_note_add(case=world.cookie_case, text="  Hanne ringede.  ", acting_user=world.mette)
    assert (note.text, note.author, note.kind) == ("Hanne ringede.", world.mette, "manual")


# --- Issued decisions (D7) -------------------------------------------------------------------------------


@pytest.fixture
def issued(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    return case_services.decision_issue(decision=decision, acting_user=mette)


def test_an_issued_decision_cannot_be_changed_or_deleted_with_raw_sql(world, issued):
    refused_by_database("UPDATE cases_decision SET summary = %s WHERE id = %s", ["Noget andet.", issued.pk])
    refused_by_database("UPDATE cases_decision SET status = 'draft', issued_at = NULL WHERE id = %s", [issued.pk])
    refused_by_database("DELETE FROM cases_decision WHERE id = %s", [issued.pk])
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.ISSUED
    assert issued.summary == "Sygedagpengene nedsættes med 25 %."


def test_a_draft_decision_can_still_be_changed_with_sql(world):
    """The trigger guards issued decisions only: the refusal above is about the status."""
    draft = adverse_draft(world.cookie_case, by=world.mette)
    assert raw("UPDATE cases_decision SET summary = %s WHERE id = %s", ["Rettet udkast.", draft.pk]) == 1


def test_the_evidence_of_an_issued_decision_cannot_change_with_raw_sql(world, issued):
    citation = issued.citations.get()
    extra = other_information(world.cookie_case, by=world.mette)
    refused_by_database(
        "INSERT INTO cases_decisionevidence (decision_id, evidence_item_id, weighing) VALUES (%s, %s, %s)",
        [issued.pk, extra.pk, "Sneget ind bagefter."],
        error=IntegrityError,
    )
    refused_by_database("DELETE FROM cases_decisionevidence WHERE id = %s", [citation.pk], error=IntegrityError)
    refused_by_database(
        "UPDATE cases_decisionevidence SET weighing = %s WHERE id = %s", ["Ny vægtning.", citation.pk], IntegrityError
    )
    assert list(DecisionEvidence.objects.filter(decision=issued).values_list("pk", "weighing")) == [
        (citation.pk, "Tillagt vægt.")
    ]


def test_a_citation_cannot_be_moved_onto_an_issued_decision(world, issued):
    draft = adverse_draft(world.cookie_case, by=world.mette)
    citation = cite(draft, other_information(world.cookie_case, by=world.mette), by=world.mette)
    refused_by_database(
        "UPDATE cases_decisionevidence SET decision_id = %s WHERE id = %s", [issued.pk, citation.pk], IntegrityError
    )


def test_the_evidence_of_a_draft_can_change_with_sql(world):
    draft = adverse_draft(world.cookie_case, by=world.mette)
    extra = other_information(world.cookie_case, by=world.mette)
    raw(
        "INSERT INTO cases_decisionevidence (decision_id, evidence_item_id, weighing) VALUES (%s, %s, %s)",
        [draft.pk, extra.pk, "Vægtet."],
    )
    assert raw("DELETE FROM cases_decisionevidence WHERE decision_id = %s", [draft.pk]) == 1


def test_issued_fields_must_match_the_status(world):
    draft = adverse_draft(world.cookie_case, by=world.mette)
    with pytest.raises(IntegrityError, match="decision_issued_fields_match_status"), transaction.atomic():
        Decision.objects.filter(pk=draft.pk).update(status=DecisionStatus.ISSUED)


# --- Decision attempts (D6): append-only ----------------------------------------------------------------


def test_decision_attempts_cannot_be_updated_or_deleted(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    attempt = DecisionAttempt.objects.get(decision=decision)
    refused_by_database(
        "UPDATE cases_decisionattempt SET outcome = 'issued', rule_codes = '{}' WHERE id = %s", [attempt.pk]
    )
    refused_by_database("UPDATE cases_decisionattempt SET rule_codes = '{D4}' WHERE id = %s", [attempt.pk])
    refused_by_database("DELETE FROM cases_decisionattempt WHERE id = %s", [attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.outcome, attempt.rule_codes) == ("refused", ["D1"])


def test_a_refused_attempt_must_name_its_rules(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    refused_by_database(
        "INSERT INTO cases_decisionattempt (decision_id, attempted_by_id, attempted_at, outcome, rule_codes, messages)"
        " VALUES (%s, %s, now(), 'refused', '{}', '[]')",
        [decision.pk, world.mette.pk],
        error=IntegrityError,
    )
