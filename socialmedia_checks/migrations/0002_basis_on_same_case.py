"""L1 in the database: a lookup's tip or suspicion belongs to the lookup's own case.

Django has no composite foreign keys, so these are added in SQL; they reference the (id, case_id)
unique constraints on the tip and suspicion tables. A NULL basis column skips its key (MATCH SIMPLE),
and the check constraint `lookup_exactly_one_basis` makes sure exactly one is set.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("socialmedia_checks", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE socialmedia_checks_lookup ADD CONSTRAINT lookup_tip_on_same_case "
                "FOREIGN KEY (tip_id, case_id) REFERENCES cases_tip (id, case_id) DEFERRABLE INITIALLY DEFERRED",
                "ALTER TABLE socialmedia_checks_lookup ADD CONSTRAINT lookup_suspicion_on_same_case "
                "FOREIGN KEY (suspicion_id, case_id) REFERENCES cases_suspicion (id, case_id) "
                "DEFERRABLE INITIALLY DEFERRED",
            ],
            reverse_sql=[
                "ALTER TABLE socialmedia_checks_lookup DROP CONSTRAINT lookup_tip_on_same_case",
                "ALTER TABLE socialmedia_checks_lookup DROP CONSTRAINT lookup_suspicion_on_same_case",
            ],
        ),
    ]
