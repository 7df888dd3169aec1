import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation

from devtools.servers import PostgresServer, RedisServer, ServerUnavailable, manage, production_environment

from .french_text import email_problems, page_problems

FRENCH_PROBLEMS = pytest.StashKey[list]()
FAILURE_SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "failures"


def pytest_sessionstart(session):
    """Only this run's screenshots of failed browser tests: emptied once, by the process that runs
    the session (with pytest-xdist, the controller, before any worker starts)."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(FAILURE_SCREENSHOTS, ignore_errors=True)


# Passwords hashed fast, as Django's own test suite does: the production hasher (PBKDF2, checked
# by tests/test_settings.py) takes 0.4 s per user, and a hundred tests create staff. Processes the
# tests start (gunicorn, make serve) read quattropole_site/settings.py and keep the real one.
FAST_PASSWORD_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    FAST_PASSWORD_HASHING.enable()
    yield
    FAST_PASSWORD_HASHING.disable()


@pytest.fixture(autouse=True, scope="session")
def _caches_of_the_worker(tmp_path_factory):
    """The caches on disk in a folder of this test process's own: with pytest-xdist, two workers
    sharing the project's .cache would empty and fill each other's page cache mid-test."""
    from quattropole_site.settings import cache_settings

    folder = tmp_path_factory.mktemp("cache")
    own = override_settings(CACHES=cache_settings(redis_url="", debug=False, folder=folder, prefix="quattropole"))
    own.enable()
    yield
    own.disable()


# --- Servers of the tests' own (devtools/servers.py, shared with `make bench`) ----------------------


@pytest.fixture
def postgres_server():
    """A PostgreSQL cluster of the test's own, started; the test may stop and start it."""
    try:
        server = PostgresServer()
    except ServerUnavailable as reason:
        pytest.skip(str(reason))
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def redis_server():
    try:
        server = RedisServer()
    except ServerUnavailable as reason:
        pytest.skip(str(reason))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """The static files as production has them (`collectstatic` with the compressed manifest
    storage), built once per run and shared by every test that starts the site in production
    (their DJANGO_STATIC_ROOT): nothing writes to it once it is built."""
    folder = tmp_path_factory.mktemp("production")
    manage(production_environment(folder), "collectstatic", "--noinput", "-v0")
    return folder / "static"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    """Tests use plain static storage (no manifest) and a throwaway media folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the test database is rolled back after a test without
    the signals that would tell the page cache."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def secretary(client, db):
    """The test client, signed in as a member of the Sekretariat group (staff, not a superuser)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("sekretariat", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("de")


@pytest.fixture(autouse=True)
def _french_typography_of_every_page(request, monkeypatch):
    """Every French page the test client gets is read for a missing no-break space before
    ``: ; ? !`` or inside « » (tests/french_text.py); what is found fails the test once it has
    run (pytest_runtest_call below), with the address and the place."""
    problems = request.node.stash.setdefault(FRENCH_PROBLEMS, [])
    client_request = Client.request

    def read_french(self, **environ):
        response = client_request(self, **environ)
        problems.extend(f"{environ.get('PATH_INFO', '?')}: {problem}" for problem in page_problems(response))
        return response

    monkeypatch.setattr(Client, "request", read_french)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test: the French pages it got and the French e-mails it sent have every no-break
    space French typography asks for."""
    result = yield
    problems = list(item.stash.get(FRENCH_PROBLEMS, []))
    for message in getattr(mail, "outbox", []):
        problems += [f"e-mail “{message.subject}”: {problem}" for problem in email_problems(message)]
    if problems:
        raise AssertionError(
            "French typography: a no-break space is missing before : ; ? ! or inside « »:\n  "
            + "\n  ".join(dict.fromkeys(problems))
        )
    return result
