"""Sessions (ASVS 7.3, 7.4): 30 idle minutes end a session, 10 hours end a login however busy, and a
deactivated user's open sessions end at once, in every browser they had."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobcenter.accounts.services import LOGIN_AT_SESSION_KEY, user_deactivate, user_sessions_end
from jobcenter.accounts.tasks import clear_expired_sessions
from jobcenter.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)


def sessions_of(user: User) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_live_in_the_database_with_a_thirty_minute_idle_timeout():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_LIFETIME == 10 * 60 * 60
    assert "jobcenter.accounts.middleware.SessionLifetimeMiddleware" in settings.MIDDLEWARE


def test_thirty_idle_minutes_end_the_session(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.mette)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200, "activity within 30 minutes keeps the session"
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200, "each request starts the 30 minutes again"
        traveller.shift(dt.timedelta(minutes=31))
        assert sent_to_login(client.get(reverse("home")))


def test_a_page_within_the_minute_writes_no_session_but_the_next_minute_pushes_the_timeout(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.mette)
        client.get(reverse("home"))
        expiry = Session.objects.get().expire_date
        traveller.shift(dt.timedelta(seconds=59))
        client.get(reverse("home"))
        assert Session.objects.get().expire_date == expiry, "a busy minute writes the session once"
        traveller.shift(dt.timedelta(seconds=1))
        client.get(reverse("home"))
        assert Session.objects.get().expire_date == expiry + dt.timedelta(minutes=1)
        traveller.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get(reverse("home")).status_code == 200, "30 minutes after the last push, not the login"


def test_ten_hours_end_a_login_even_with_activity_every_twenty_minutes(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.mette)
        for _step in range(31):  # 10 hours of work, a page every 20 minutes from 0:00 to 10:00
            assert client.get(reverse("home")).status_code == 200, timezone.now()
            traveller.shift(dt.timedelta(minutes=20))
        response = client.get(reverse("search"))
        assert sent_to_login(response)
        assert response["Location"] == reverse("login") + "?next=/soeg/"
        assert sessions_of(world.mette) == []
        assert AuditEvent.objects.filter(action=Action.LOGOUT, actor_id=world.mette.pk).exists()
        assert "Log ind igen" in client.get(response["Location"]).content.decode()


def test_a_session_without_a_login_time_counts_as_too_old(client, world):
    client.force_login(world.mette)
    session = client.session
    del session[LOGIN_AT_SESSION_KEY]
    session.save()
    assert sent_to_login(client.get(reverse("home")))


def test_htmx_requests_past_the_lifetime_send_the_browser_to_the_login(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(world.mette)
        for _step in range(31):
            traveller.shift(dt.timedelta(minutes=20))
            response = client.get(reverse("search"), headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == reverse("login") + "?next=/soeg/"


def test_deactivating_a_user_ends_every_session_they_have_and_no_one_elses(world):
    desk, laptop, colleague = Client(), Client(), Client()
    desk.force_login(world.mette)
    laptop.force_login(world.mette)
    colleague.force_login(world.jonas)
    assert len(sessions_of(world.mette)) == 2

    user_deactivate(user=world.mette, acting_user=world.susanne)

    assert sessions_of(world.mette) == []
    assert len(sessions_of(world.jonas)) == 1
    assert sent_to_login(desk.get(reverse("home")))
    assert sent_to_login(laptop.get(reverse("home")))
    assert colleague.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.CHANGE,
        actor_id=world.susanne.pk,
        object_id=str(world.mette.pk),
        details__service="user_deactivate",
    ).exists()


def test_deactivation_in_the_admin_ends_the_sessions_too(world):
    browser = Client()
    browser.force_login(world.mette)
    world.mette.is_active = False
    world.mette.save()  # what the admin's change form does
    assert sessions_of(world.mette) == []
    assert sent_to_login(browser.get(reverse("home")))


def test_an_inactive_users_session_fails_even_if_it_was_not_deleted(world):
    browser = Client()
    browser.force_login(world.mette)
    User.objects.filter(pk=world.mette.pk).update(is_active=False)  # no signal: the session row stays
    assert len(sessions_of(world.mette)) == 1
    assert sent_to_login(browser.get(reverse("home")))


def test_ending_sessions_skips_expired_ones_and_counts_what_it_ended(world):
    browser = Client()
    browser.force_login(world.mette)
    assert user_sessions_end(user=world.mette) == 1
    assert user_sessions_end(user=world.mette) == 0


def test_a_login_stamping_last_login_costs_no_deactivation_query(world, django_assert_num_queries):
    world.mette.last_login = timezone.now()
    with django_assert_num_queries(1):
        world.mette.save(update_fields=["last_login"])


def test_the_hourly_task_deletes_expired_sessions_only(world):
    with time_machine.travel(START, tick=False) as traveller:
        Client().force_login(world.mette)
        traveller.shift(dt.timedelta(minutes=31))
        Client().force_login(world.jonas)
        assert clear_expired_sessions.apply().get() == 1
        assert sessions_of(world.mette) == []
        assert len(sessions_of(world.jonas)) == 1
    assert "jobcenter.accounts.tasks.clear_expired_sessions" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
