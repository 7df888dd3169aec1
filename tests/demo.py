"""The demo content for the tests that need it: ``load_demo(*args)`` gives the test database what
``manage.py load_demo`` gives it, loaded once per test process and copied back for every later test.

On SQLite's in-memory test database (the browser tests' live server, the SQLite pass) a test that
runs outside a transaction (``transactional_db``, ``live_server``) gets a byte-for-byte copy of the
database as it was right after the first ``load_demo`` of the process: the copy is taken with
``sqlite3.Connection.backup()`` and put back with it again, which takes milliseconds where loading
takes seconds. The copy is the whole database — the demo's rows, the rows ``post_migrate`` makes
(content types, permissions, the Sekretariat group) and SQLite's autoincrement counters — so ids
and addresses are those of a fresh load. Each copy is kept for one set of arguments, one day (the
sample events are dated from today, and a test may travel in time), one media folder when posters
are drawn (the database names their files) and the caches are emptied afterwards, as before any
test. Elsewhere (PostgreSQL, inside a test's transaction, where a copy would bypass its rollback,
or after the test wrote rows of its own, which the copy would replace) the command runs as it
always did.
"""

import io
import sqlite3

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

_copies = {}


def _key(args):
    drawn = "--no-posters" not in args
    return (tuple(args), timezone.localdate(), str(settings.MEDIA_ROOT) if drawn else None)


def _copyable():
    """SQLite's in-memory database, outside a transaction (autocommit)."""
    if connection.vendor != "sqlite" or not transaction.get_autocommit():
        return False
    connection.ensure_connection()
    # PRAGMA database_list names the file of each database; "" for one in memory.
    return all(not file for _seq, name, file in connection.connection.execute("PRAGMA database_list") if name == "main")


def _as_migrated():
    """True when the database holds only what ``migrate`` leaves (the rows post_migrate makes:
    content types, permissions, groups): then nothing of the test's own is lost by the copy, which
    replaces the whole database. A test whose own rows came first gets load_demo itself."""
    kept = {ContentType, Permission, Group}
    return not any(model.objects.exists() for model in apps.get_models() if model not in kept)


def load_demo(*args):
    """``manage.py load_demo *args`` on the test database (see the module's docstring)."""
    if not _copyable() or not _as_migrated():
        call_command("load_demo", *args, stdout=io.StringIO())
        return
    key = _key(args)
    copy = _copies.get(key)
    if copy is None:
        call_command("load_demo", *args, stdout=io.StringIO())
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _copies[key] = copy
    else:
        copy.backup(connection.connection)
        # Rows other than those this process cached: the content types' ids are the copy's.
        ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
