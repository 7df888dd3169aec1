"""Settings read from the environment, and the deploy checks of our own (quattropole_site/checks.py).
The whole production environment under `check --deploy` is tests/test_production.py's."""

import json
import os
import subprocess
import sys

import pytest

from quattropole_site.checks import check_sender, sender_problem


def settings_in(**environment):
    """A few settings as a process started with ``environment`` (and no other DJANGO_ variable) has them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'SITE_URL': s.SITE_URL, 'SILENCED_SYSTEM_CHECKS': s.SILENCED_SYSTEM_CHECKS}))"
    )
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PORT"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "quattropole_site.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_development_site_address_follows_the_port():
    """`make run PORT=8123`: the links in e-mails and calendar files lead to port 8123."""
    assert settings_in(PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"
    assert settings_in()["SITE_URL"] == "http://127.0.0.1:8000"


def test_hsts_for_subdomains_and_preloading_switched_off_explicitly_is_a_choice_accepted():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "example.org"}
    off = {"DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "false", "DJANGO_SECURE_HSTS_PRELOAD": "false"}
    assert security_checks_silenced(settings_in(**production, **off)) == ["security.W005", "security.W021"]
    # Left unset (or switched on), nothing is silenced: Django's checks ask.
    assert security_checks_silenced(settings_in(**production)) == []


def test_the_site_hashes_passwords_with_a_strong_hasher():
    """The tests hash passwords with MD5 for speed (tests/conftest.py); the site itself with PBKDF2."""
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(*make_password('a-long-test-password').split('$')[:2])"
    )
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PORT"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "quattropole_site.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    algorithm, iterations = result.stdout.split()
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000  # Django 5.2's count, not a test setting


def security_checks_silenced(values):
    """The deploy checks silenced (on SQLite, models.W040 is too: see the database settings)."""
    return [check for check in values["SILENCED_SYSTEM_CHECKS"] if check.startswith("security.")]


@pytest.mark.parametrize(
    ("sender", "problem"),
    [
        ("QuattroPole <noreply@localhost>", "'localhost' is not a domain of the internet"),
        ("noreply@server.local", "'server.local' is not a domain of the internet"),
        ("QuattroPole <veranstaltungen@example.org>", "'example.org' is not a domain of the internet"),
        ("QuattroPole <veranstaltungen@quattropole>", "'quattropole' is not a domain name"),
        ("noreply@[127.0.0.1]", "'[127.0.0.1]' is not a domain name"),
        ("QuattroPole", "'QuattroPole' is not an e-mail address"),
    ],
)
def test_a_sender_receiving_servers_refuse_is_named(sender, problem):
    assert sender_problem(sender) == problem


def test_a_sender_of_a_real_domain_passes(settings):
    settings.DEFAULT_FROM_EMAIL = "QuattroPole <veranstaltungen@quattropole.org>"
    assert sender_problem(settings.DEFAULT_FROM_EMAIL) is None
    assert check_sender() == []


def test_the_deploy_check_refuses_the_development_sender(settings):
    settings.DEFAULT_FROM_EMAIL = "QuattroPole <noreply@localhost>"
    (error,) = check_sender()
    assert error.id == "quattropole.E001" and error.is_serious()
    assert "DJANGO_DEFAULT_FROM_EMAIL" in error.hint
