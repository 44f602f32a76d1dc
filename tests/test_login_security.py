"""Sign-in security: lockout after failed passwords (django-axes) and two-factor sign-in (django-otp)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.roles import EDITORS
from newsroom.signin import client_ip
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, username, password=PASSWORD, address="192.0.2.1", **fields):
    return client.post(LOGIN, {"username": username, "password": password, **fields}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_for(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


# Lockout


def test_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client):
    make_user("reporter")
    answers = [sign_in(client, "reporter", "wrong").status_code for _ in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]

    response = sign_in(client, "reporter")
    assert response.status_code == 429
    assert "Sign-in is locked after too many wrong passwords. Try again after" in response.text
    assert 0 < int(response["Retry-After"]) <= 15 * 60 + 1
    assert not signed_in(client)


def test_a_lockout_from_one_address_leaves_the_account_open_elsewhere(client):
    make_user("reporter")
    for _ in range(5):
        sign_in(client, "reporter", "wrong", address="192.0.2.1")
    assert sign_in(client, "reporter", address="192.0.2.1").status_code == 429

    assert sign_in(client, "reporter", address="198.51.100.2").status_code == 302
    assert signed_in(client)


def test_failures_from_many_addresses_lock_the_account_everywhere(client):
    make_user("reporter")
    answers = [sign_in(client, "reporter", "wrong", address=f"198.51.100.{n}").status_code for n in range(1, 21)]
    assert answers == [200] * 19 + [429]

    assert sign_in(client, "reporter", address="203.0.113.50").status_code == 429
    assert not signed_in(client)


def test_failures_against_many_accounts_lock_the_address(client):
    make_user("reporter")
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", address="192.0.2.9")

    assert sign_in(client, "reporter", address="192.0.2.9").status_code == 429
    assert sign_in(client, "reporter", address="192.0.2.10").status_code == 302


def test_a_forwarded_for_header_is_ignored_unless_proxies_are_trusted(client):
    make_user("reporter")
    for n in range(5):
        sign_in(client, "reporter", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert (
        client.post(
            LOGIN,
            {"username": "reporter", "password": PASSWORD},
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        ).status_code
        == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.1"}


@pytest.mark.parametrize(
    "username",
    ["x" * 5000, "nul\x00byte", "", "Ω" * 300, "reporter\n"],
    ids=["long", "nul", "empty", "wide", "newline"],
)
def test_odd_usernames_get_an_answer_not_an_error(client, username):
    headers = {"HTTP_USER_AGENT": "U" * 2000, "HTTP_ACCEPT": "a" * 2000}
    for _ in range(6):
        assert sign_in(client, username, "wrong", **headers).status_code in {200, 429}


def test_the_sign_in_page_offers_the_code_field(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="otp_token"' in response.text and 'autocomplete="one-time-code"' in response.text


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),  # the first entry is the client's own claim
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer hops than proxies: not through the proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_axes_reset_lifts_the_lockout(client):
    make_user("reporter")
    for _ in range(5):
        sign_in(client, "reporter", "wrong")
    assert sign_in(client, "reporter").status_code == 429

    call_command("axes_reset")
    assert sign_in(client, "reporter").status_code == 302


def test_a_superuser_lifts_the_lockout_in_the_admin_and_an_editor_cannot(client):
    make_user("reporter")
    for _ in range(5):
        sign_in(client, "reporter", "wrong")
    attempt = AccessAttempt.objects.get()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])

    editor = make_user("editor")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.exists()

    client.force_login(make_user("chief", superuser=True))
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "reporter" in changelist.text
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert sign_in(client, "reporter").status_code == 302


def test_failures_are_logged_for_admins(client):
    make_user("reporter")
    sign_in(client, "reporter", "wrong")
    client.force_login(make_user("chief", superuser=True))
    response = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert response.status_code == 200 and "reporter" in response.text


# Two-factor sign-in


@pytest.fixture
def device(db):
    return TOTPDevice.objects.create(user=make_user("chief"), name="Phone", confirmed=True)


def test_a_user_with_a_device_must_give_its_code(client, device):
    response = sign_in(client, "chief")
    assert response.status_code == 200
    assert "Please enter your OTP token." in response.text
    assert not signed_in(client)

    assert sign_in(client, "chief", otp_token=code_for(device)).status_code == 302
    assert signed_in(client)
    assert client.get(INDEX).status_code == 200


def test_a_wrong_code_is_refused(client, device):
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    response = sign_in(client, "chief", otp_token=wrong)
    assert response.status_code == 200
    assert "Invalid token" in response.text
    assert not signed_in(client)


def test_an_unconfirmed_device_asks_for_no_code(client):
    TOTPDevice.objects.create(user=make_user("reporter"), name="Half set up", confirmed=False)
    assert sign_in(client, "reporter").status_code == 302


def test_staff_2fa_refuses_staff_without_a_device(client, settings):
    settings.STAFF_2FA = True
    make_user("reporter")
    response = sign_in(client, "reporter")
    assert response.status_code == 200
    assert "Ask an administrator to add one for you." in response.text
    assert not signed_in(client)


def test_staff_2fa_refuses_a_session_no_device_verified(client, settings, device):
    settings.STAFF_2FA = True
    client.force_login(device.user)
    assert client.get(INDEX).status_code == 302

    client.logout()
    sign_in(client, "chief", otp_token=code_for(device))
    assert client.get(INDEX).status_code == 200


def test_without_staff_2fa_staff_without_a_device_sign_in_with_a_password(client):
    make_user("reporter")
    assert sign_in(client, "reporter").status_code == 302
    assert client.get(INDEX).status_code == 200


def test_the_device_admin_shows_a_qr_code_to_superusers_only(client, device):
    config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    qrcode = reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])

    client.force_login(make_user("reporter"))
    assert client.get(qrcode).status_code == 403

    client.force_login(make_user("admin", superuser=True))
    assert qrcode in client.get(config).text
    image = client.get(qrcode)
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk + 1000])).status_code == 404
