"""The in-app inbox: every signed-in role reads its own messages, newest first, and marks one read."""

import pytest
from django.urls import reverse

from jobcenter.notifications.models import Channel, Notification
from jobcenter.notifications.services import notification_enqueue
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db


def _message(user, n: int, channel: str = Channel.IN_APP) -> Notification:
    return notification_enqueue(
        recipient=user, channel=channel, subject=f"Emne {n}", body=f"Tekst {n}", key=f"test:{user.pk}:{n}:{channel}"
    )


def test_the_inbox_lists_only_my_in_app_messages_newest_first(client, world):
    first, second = _message(world.lone, 1), _message(world.lone, 2)
    _message(world.lone, 3, channel=Channel.EMAIL)
    _message(world.mette, 4)
    second.read_at = second.created_at
    second.save()
    verified_login(client, world.lone)
    response = client.get(reverse("notifications_inbox"))
    assert response.status_code == 200
    shown = [n.pk for n in response.context["page"].object_list]
    assert shown == [second.pk, first.pk]
    html = response.content.decode()
    assert "Emne 3" not in html
    assert "Emne 4" not in html
    assert "Beskeder (1)" in html
    assert html.count("notification-unread") == 1


def test_the_inbox_costs_the_same_for_many_messages(client, world, django_assert_max_num_queries):
    verified_login(client, world.mette)
    _message(world.mette, 0)
    with django_assert_max_num_queries(100) as few:
        client.get(reverse("notifications_inbox"))
    for n in range(1, 30):
        _message(world.mette, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications_inbox"))
    assert len(response.context["page"].object_list) == 25
    assert "Beskeder (30)" in response.content.decode()


def test_marking_read(client, world):
    message = _message(world.mette, 1)
    verified_login(client, world.mette)
    response = client.post(reverse("notification_read", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None
    assert "Beskeder (0)" in client.get(reverse("notifications_inbox")).content.decode()


def test_someone_elses_message_is_not_found(client, world):
    message = _message(world.lone, 1)
    verified_login(client, world.mette)
    assert client.post(reverse("notification_read", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_read_answers_only_post(client, world):
    message = _message(world.mette, 1)
    verified_login(client, world.mette)
    assert client.get(reverse("notification_read", args=[message.pk])).status_code == 405


@pytest.mark.parametrize("who", ["mette", "susanne", "lone"])
def test_every_signed_in_role_has_an_inbox(client, world, who):
    verified_login(client, getattr(world, who))
    response = client.get(reverse("notifications_inbox"))
    assert response.status_code == 200
    assert "Beskeder (0)" in response.content.decode()


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("notifications_inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
