"""L7: every lookup and every finding writes a system journal note on the case, in the same
transaction, and no one can edit or delete a journal note: not the code, not raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.models import JournalNote, JournalNoteKind
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, Lookup
from tests.socialmedia_checks.conftest import record_lookup, written_rows

pytestmark = pytest.mark.django_db


def system_notes(case):
    return list(case.journal_notes.filter(kind=JournalNoteKind.SYSTEM).order_by("id"))


def test_l7_a_lookup_writes_one_system_journal_note_on_its_case(prepared):
    before = system_notes(prepared.case)
    lookup = record_lookup(prepared.case, prepared.suspicion, by=prepared.mette)
    new = system_notes(prepared.case)[len(before) :]
    assert len(new) == 1
    note = new[0]
    assert note.author == prepared.mette
    assert "Facebook" in note.text
    assert lookup.purpose in note.text
    assert str(prepared.suspicion) in note.text


def test_l7_a_finding_writes_one_system_journal_note_on_its_case(prepared):
    lookup = record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    before = system_notes(prepared.case)
    smc_services.finding_record(
        lookup=lookup,
        description="Offentligt billede af julesmåkager.",
        relevance="Kan vise, at borgeren kan stå op i længere tid.",
        acting_user=prepared.mette,
    )
    new = system_notes(prepared.case)[len(before) :]
    assert len(new) == 1
    assert new[0].author == prepared.mette
    assert "Facebook" in new[0].text


def test_l7_a_lookup_cannot_be_kept_without_its_journal_note(prepared, monkeypatch):
    """If the note cannot be written, the lookup is not written either: there is no lookup without a note."""

    def note_fails(**kwargs):
        raise DatabaseError("journal unavailable")

    monkeypatch.setattr(smc_services, "journal_note_system", note_fails)
    before = written_rows()
    with pytest.raises(DatabaseError, match="journal unavailable"):
        record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    assert written_rows() == before
    assert not Lookup.objects.exists()


def test_l7_a_finding_cannot_be_kept_without_its_journal_note(prepared, monkeypatch):
    lookup = record_lookup(prepared.case, prepared.tip, by=prepared.mette)

    def note_fails(**kwargs):
        raise DatabaseError("journal unavailable")

    monkeypatch.setattr(smc_services, "journal_note_system", note_fails)
    with pytest.raises(DatabaseError, match="journal unavailable"):
        smc_services.finding_record(
            lookup=lookup, description="Billede.", relevance="Funktionsevne.", acting_user=prepared.mette
        )
    assert not Finding.objects.exists()


@pytest.fixture
def note(prepared):
    record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    return system_notes(prepared.case)[-1]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_journalnote SET text = 'x'",
        "UPDATE cases_journalnote SET kind = 'manual'",
        "DELETE FROM cases_journalnote",
    ],
)
def test_l7_journal_notes_cannot_be_changed_even_by_raw_sql(note, sql):
    count = JournalNote.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    note.refresh_from_db()
    assert note.kind == JournalNoteKind.SYSTEM
    assert note.text != "x"
    assert JournalNote.objects.count() == count


def save_with_text(note, text):
    note.text = text
    note.save()


def test_l7_journal_notes_cannot_be_changed_through_the_orm(note):
    original = note.text
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).update(text="Opslaget er aldrig foretaget.")
    with pytest.raises(DatabaseError), transaction.atomic():
        save_with_text(note, "Opslaget er aldrig foretaget.")
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).delete()
    note.refresh_from_db()
    assert note.text == original
