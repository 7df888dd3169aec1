import itertools
import os
import shutil
import tempfile
import typing
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation

from devtools.servers import PostgresServer, RedisServer, ServerUnavailable, manage, production_environment

from .french_text import email_problems, page_problems
from .helpers import one_at_a_time, run_folder

FRENCH_PROBLEMS = pytest.StashKey[list]()
FAILURE_SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "failures"


def pytest_sessionstart(session):
    """Only this run's screenshots of failed browser tests: emptied once, by the process that runs
    the session (with pytest-xdist, the controller, before any worker starts)."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(FAILURE_SCREENSHOTS, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """The tests that start processes of their own first: they take the longest (half a minute to
    a minute each), and with pytest-xdist a long test handed out last keeps one worker busy while
    the others have finished. Otherwise the order is the files' and their tests'."""
    items.sort(key=lambda item: item.get_closest_marker("processes") is None)


# Passwords hashed fast, as Django's own test suite does: the production hasher (PBKDF2, checked
# by tests/test_settings.py) takes 0.4 s per user, and a hundred tests create staff. Processes the
# tests start (gunicorn, make serve) read quattropole_site/settings.py and keep the real one.
FAST_PASSWORD_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    FAST_PASSWORD_HASHING.enable()
    yield
    FAST_PASSWORD_HASHING.disable()


# Where the tests write files at a high rate (the file-based caches, which every test empties and
# every save of content bumps; uploads): a RAM-backed folder when the machine has one. On a disk
# shared with other work each of these small writes waits for it (ext4 flushes a file replaced by
# rename), some 8 ms apiece; same files, same cache backend as production without Redis.
IN_MEMORY = Path("/dev/shm")


@pytest.fixture(scope="session")
def _fast_folder(tmp_path_factory):
    if IN_MEMORY.is_dir() and os.access(IN_MEMORY, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="quattropole-tests-", dir=IN_MEMORY))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("files")


@pytest.fixture(autouse=True, scope="session")
def _caches_of_the_worker(_fast_folder):
    """The caches on disk in a folder of this test process's own: with pytest-xdist, two workers
    sharing the project's .cache would empty and fill each other's page cache mid-test."""
    from quattropole_site.settings import cache_settings

    folder = _fast_folder / "cache"
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


# --- One production build for the run ------------------------------------------------------------


def built_once(tmp_path_factory, name, build):
    """The folder ``name``, filled by ``build(folder)`` once per run: with pytest-xdist the first
    worker to ask builds it in the run's shared temporary folder, under a lock, and the others wait
    for it and use it too. Nothing writes to it once it is built: tests copy what they change."""
    folder = run_folder(tmp_path_factory) / name
    with one_at_a_time(tmp_path_factory, name):
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """The static files as production has them (`collectstatic` with the compressed manifest
    storage), built once per run and shared by every test that starts the site in production
    (their DJANGO_STATIC_ROOT)."""

    def build(folder):
        manage(production_environment(folder), "collectstatic", "--noinput", "-v0")

    return built_once(tmp_path_factory, "production-static", build) / "static"


class ProductionBuild:
    """What `migrate` and `load_demo` make, made once per run (``production_build``): a migrated
    SQLite database, the same with the demo content, and the demo's uploads (posters and their
    renditions). A test takes a copy of its own."""

    def __init__(self, folder):
        self.folder = folder

    @property
    def media(self):
        return self.folder / "media"

    def sqlite(self, tmp_path, demo=True, name="db.sqlite3"):
        """The URL of a copy, ``tmp_path / name``, of the migrated database, with the demo content
        (its uploads copied to ``tmp_path / "media"``) or empty (``demo=False``)."""
        database = tmp_path / name
        shutil.copyfile(self.folder / ("demo.sqlite3" if demo else "migrated.sqlite3"), database)
        if demo:
            self.copy_media(tmp_path / "media")
        return f"sqlite:///{database}"

    def copy_media(self, to):
        shutil.copytree(self.media, to)


@pytest.fixture(scope="session")
def production_build(tmp_path_factory):
    def build(folder):
        # One Django start-up for both steps: migrate, keep a copy of the migrated file, load_demo.
        env = production_environment(folder, DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}")
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "import shutil; from django.core.management import call_command; from django.db import connections; "
            "call_command('migrate', verbosity=0); connections.close_all(); "
            f"shutil.copyfile({str(folder / 'demo.sqlite3')!r}, {str(folder / 'migrated.sqlite3')!r}); "
            "call_command('load_demo')",
        )

    return ProductionBuild(built_once(tmp_path_factory, "production-build", build))


STAFF = ("chef", "geheim-123")  # the superuser of ``postgres_demo``: user name, password


class PostgresDemo(typing.NamedTuple):
    sql: str
    migrated_sql: str
    media: Path
    staff: tuple[str, str] = STAFF

    def copy_media(self, to):
        shutil.copytree(self.media, to)


@pytest.fixture(scope="session")
def postgres_demo(tmp_path_factory, production_build):
    """The demo site on PostgreSQL, made once per run with `migrate` and `load_demo` in a cluster
    of its own, plus a superuser (``.staff``: user name and password, hashed by the production
    hasher): ``.sql`` (``PostgresServer.load`` puts it in a database), ``.migrated_sql`` (the same
    database before load_demo: migrated, without content) and ``.copy_media(to)`` (its uploads:
    those of ``production_build``, which load_demo keeps)."""

    def build(folder):
        try:
            server = PostgresServer()
        except ServerUnavailable as reason:
            (folder / "unavailable").write_text(str(reason))
            return
        server.start()
        try:
            server.create_database("demo")
            production_build.copy_media(folder / "media")
            env = production_environment(folder, DATABASE_URL=server.url("demo"))
            manage(env, "migrate", "-v0")
            (folder / "migrated.sql").write_text(server.dump("demo"))
            # One Django start-up for both steps, rather than one per step and per test.
            manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from django.core.management import call_command; from django.contrib.auth.models import User; "
                f"call_command('load_demo'); User.objects.create_superuser({STAFF[0]!r}, password={STAFF[1]!r})",
            )
            (folder / "demo.sql").write_text(server.dump("demo"))
        finally:
            server.destroy()

    folder = built_once(tmp_path_factory, "postgres-demo", build)
    if (folder / "unavailable").exists():
        pytest.skip((folder / "unavailable").read_text())
    return PostgresDemo(
        sql=(folder / "demo.sql").read_text(),
        migrated_sql=(folder / "migrated.sql").read_text(),
        media=folder / "media",
    )


_test_numbers = itertools.count(1)


def plain_static_storages():
    from django.conf import settings

    return {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, _fast_folder):
    """Tests use plain static storage (no manifest) and a media folder of their own (made by the
    storage when a test uploads a file)."""
    settings.STORAGES = plain_static_storages()
    settings.MEDIA_ROOT = _fast_folder / "media" / str(next(_test_numbers))


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the test database is rolled back after a test without
    the signals that would tell the page cache."""
    empty_caches()


def empty_caches():
    from django.core.cache import caches

    from pagecache.cache import UNCOMMITTED, CacheUnavailable

    for cache in caches.all():
        cache.clear()
    # Nor does a test inherit the back-off of one whose cache was broken (tests/broken_cache.py):
    # the page cache would serve it uncached, with a query less than it counts.
    CacheUnavailable.until = 0.0
    CacheUnavailable.pending = set()
    # Nor the versions an earlier test's transaction set (rolled back, never committed).
    UNCOMMITTED.versions.clear()


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
