"""Account security: who must pass a second factor, TOTP devices, and ending a user's sessions."""

from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobcenter.audit.models import Action
from jobcenter.audit.services import audit_record
from jobcenter.core import clock
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_role_names

SECOND_FACTOR_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMINISTRATOR.value, Role.UNION_REPRESENTATIVE.value})
# Where the time of the password login is kept in the session, for the absolute lifetime.
LOGIN_AT_SESSION_KEY = "accounts_login_at"
# When the session's idle timeout was last pushed forward.
ACTIVE_AT_SESSION_KEY = "accounts_active_at"
# Pushing the idle timeout forward writes the session row; once a minute is enough, so most requests
# write nothing and the idle timeout ends between 29 and 30 minutes after the last request.
IDLE_REFRESH_SECONDS = 60
TOTP_DEVICE_NAME = "Godkendelses-app"


def second_factor_required(user: User | AnonymousUser) -> bool:
    """Supervisors, administrators and union representatives see more than one caseworker's cases, and
    anyone who can reach the admin can change everything: they all log in with a TOTP code as well."""
    if not isinstance(user, User):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(SECOND_FACTOR_ROLES & user_role_names(user))


def second_factor_passed(user: User | AnonymousUser) -> bool:
    """Whether a device verified this session: django-otp's OTPMiddleware sets user.otp_device."""
    return getattr(user, "otp_device", None) is not None


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_device_for_setup(user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret on every visit until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in by hand."""
    return b32encode(device.bin_key).decode("ascii")


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> None:
    """The user proved the app holds the secret: this device is now the one they verify with."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    audit_record(actor=device.user, action=Action.CHANGE, subject=device, details={"service": "totp_device_confirm"})


@dataclass(frozen=True)
class TokenCheck:
    allowed: bool
    verified: bool


def totp_token_check(*, device: TOTPDevice, token: str, confirm_device: bool) -> TokenCheck:
    """Check a code under a row lock, so two requests cannot both spend it or dodge the throttle.
    A first correct code during setup also confirms the device."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _throttle = device.verify_is_allowed()
        verified = bool(allowed and device.verify_token(token))
        if verified and confirm_device:
            totp_device_confirm(device=device)
    return TokenCheck(allowed=bool(allowed), verified=verified)


def login_started_now(session: SessionBase) -> None:
    """Logging in starts both the absolute lifetime and the idle timeout."""
    now = clock.now().timestamp()
    session[LOGIN_AT_SESSION_KEY] = now
    session[ACTIVE_AT_SESSION_KEY] = now


def session_keep_alive(session: SessionBase) -> None:
    """Start the idle timeout again if it was last started more than a minute ago (marking the session
    modified makes Django save it with a new expiry and re-send the cookie)."""
    now = clock.now().timestamp()
    last = session.get(ACTIVE_AT_SESSION_KEY)
    if not isinstance(last, int | float) or now - last >= IDLE_REFRESH_SECONDS:
        session[ACTIVE_AT_SESSION_KEY] = now


def login_too_old(session: SessionBase) -> bool:
    """True when the session has outlived the absolute lifetime of a login, however active it was.
    A session without the login time (made before this rule) counts as too old."""
    started = session.get(LOGIN_AT_SESSION_KEY)
    if not isinstance(started, int | float):
        return True
    age = clock.now().timestamp() - started
    return age > timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME).total_seconds()


def user_sessions_end(*, user: User) -> int:
    """Delete every live session of the user, so each of their open browsers is logged out. Returns
    how many. Deactivation is rare and the idle timeout keeps the live sessions few, so decoding
    them beats keeping a second table of session keys in step."""
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    deleted, _per_model = Session.objects.filter(session_key__in=keys).delete()
    return deleted


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User | None) -> None:
    """The user can no longer log in, and every session they have open ends now (ASVS 7.4.2).

    The sessions are ended by the post_save receiver in jobcenter.accounts.signals, which also covers
    deactivation through the admin."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=acting_user, action=Action.CHANGE, subject=user, details={"service": "user_deactivate"})
