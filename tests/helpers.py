"""Small helpers shared by the tests."""

import fcntl
import io
import os
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation


def url(name, language, **kwargs):
    """The address of a named page in ``language``: url("events:list", "fr") is "/fr/evenements/"."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def html_of(response):
    return response.content.decode()


@contextmanager
def demo_for_a_group(django_db_blocker, media_root):
    """The demo content without posters, loaded once for a group of tests that only read it (a
    class's, a module's: a fixture of that scope with ``django_db_setup`` before it), in a
    transaction rolled back when the block ends; each test runs in a savepoint of it
    (pytest-django's ``db``), so what one test writes is gone for the next. Its uploads (the
    materials, the renditions) go to ``media_root``, not to the project's media folder."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root), transaction.atomic():
        call_command("load_demo", "--no-posters", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def run_folder(tmp_path_factory):
    """The run's temporary folder, shared by its pytest-xdist workers (pytest-xdist's documented
    recipe for session fixtures)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@contextmanager
def one_at_a_time(tmp_path_factory, name):
    """Held by one test process of the run at a time: the others wait for it."""
    with open(run_folder(tmp_path_factory) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
