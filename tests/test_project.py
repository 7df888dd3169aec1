"""Project-wide checks: complete translations, no missing migrations, dates per language."""

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from events import dates

from .factories import local

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_catalogue_is_complete(language):
    """Every UI string is translated and none is fuzzy: a visitor never meets English."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_catalogue_covers_the_code(tmp_path):
    """No string of the code or templates is missing from the catalogues: `make messages`
    run on a copy of the project must find nothing untranslated."""
    import shutil
    import sys

    base = Path(settings.BASE_DIR)
    for name in (
        "api",
        "materials",
        "core",
        "events",
        "pagecache",
        "pages",
        "registration",
        "search",
        "templates",
        "quattropole_site",
        "locale",
    ):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    for language in ("de", "fr"):
        po = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
        ).stderr
        assert "untranslated" not in stats and "fuzzy" not in stats, f"{language}: {stats} – run `make messages`"


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # pragma: no cover - reported below
        pytest.fail("Missing migrations:\n" + out.getvalue())


class TestDates:
    def test_french(self):
        start, end = local(2017, 11, 22, 9, 30), local(2017, 11, 22, 17)
        assert dates.date_span(start, end, "fr") == "mercredi 22 novembre 2017, 9h30 – 17h"
        assert dates.clock(local(2017, 11, 22, 10, 15), "fr") == "10h15"
        assert dates.clock(local(2017, 11, 22, 10), "fr") == "10h"

    def test_german(self):
        start, end = local(2017, 11, 22, 9, 30), local(2017, 11, 22, 17)
        assert dates.date_span(start, end, "de") == "Mittwoch, 22. November 2017, 9:30 – 17:00 Uhr"
        assert dates.clock(local(2017, 11, 22, 10), "de") == "10:00"
        assert dates.time_of_day(start, "de") == "9:30 Uhr"

    def test_several_days(self):
        start, end = local(2027, 3, 5, 18), local(2027, 3, 7, 13)
        assert (
            dates.date_span(start, end, "de") == "Freitag, 5. März 2027, 18:00 Uhr – Sonntag, 7. März 2027, 13:00 Uhr"
        )
        assert dates.date_span(start, end, "fr") == "vendredi 5 mars 2027, 18h – dimanche 7 mars 2027, 13h"

    def test_summer_time_is_local_time(self):
        # 9:30 in Metz in July is 7:30 UTC; visitors read 9:30.
        assert dates.clock(local(2027, 7, 1, 9, 30), "de") == "9:30"


def test_tests_that_expect_something_of_each_engine_run_on_both():
    """With PostgreSQL, `make test` runs the suite on PostgreSQL and, on SQLite, only the browser
    and process tests and those marked ``engines`` (docs/testing.md). A test module that expects
    one thing of SQLite and another of PostgreSQL (it reads ``connection.vendor`` for more than
    skipping a PostgreSQL-only test) is marked ``engines``, so that both expectations are tested."""
    tests = Path(__file__).resolve().parent
    postgresql_only = 'skipif(\n    connection.vendor != "postgresql"'
    unmarked = []
    for module in sorted(tests.rglob("test_*.py")):
        source = module.read_text()
        rest = source.replace(postgresql_only, "").replace('skipif(connection.vendor != "postgresql"', "")
        if "connection.vendor" in rest and "pytest.mark.engines" not in source:
            unmarked.append(str(module.relative_to(tests)))
    assert unmarked == []
