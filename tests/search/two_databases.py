"""Settings with a second database, "other" (tests/search/test_migrate_database.py): the site's
settings, each alias a database URL (SQLite or PostgreSQL) named by the environment."""

import os

import dj_database_url

from quattropole_site.settings import *  # noqa: F403

DATABASES = {
    alias: dj_database_url.parse(os.environ[f"TEST_DATABASE_{alias.upper()}"]) for alias in ("default", "other")
}
