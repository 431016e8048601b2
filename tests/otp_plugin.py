"""Logging a test client in past the second factor, as the real TOTP page would leave the session.

Use `verified_login(client, user)` where a test used `client.force_login(user)` for a supervisor,
an administrator or a union representative; or the `verified_login` fixture once this module is
registered (`pytest_plugins = ["tests.otp_plugin"]` in tests/conftest.py)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def verified_login(client: Client, user: User) -> Client:
    """force_login, then mark the session as verified by the user's TOTP device."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(name="verified_login")
def verified_login_fixture(client: Client) -> Callable[[User], Client]:
    return lambda user: verified_login(client, user)
