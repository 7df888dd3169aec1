"""Settings with a second database, "other" (tests/search/test_migrate_database.py): the site's
settings, each alias a SQLite file named by the environment."""

import os

from quattropole_site.settings import *  # noqa: F403

DATABASES = {
    alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ[f"TEST_DATABASE_{alias.upper()}"]}
    for alias in ("default", "other")
}
