"""Production as an operator runs it, in real processes: `collectstatic` with the manifest storage,
the deploy checks with the documented environment, start-up refusing a missing value,
`make serve`, and the database going away and coming back under gunicorn."""

import json
import os
import re
import signal
import subprocess
import sys

import pytest
from django.core.management.utils import get_random_secret_key

from devtools.servers import BASE_DIR, AppServer, free_port, port_open, production_environment, wait_for

from .web_client import Browser, form_fields

pytestmark = pytest.mark.processes

DOCUMENTED_ENVIRONMENT = BASE_DIR / "deploy" / "production.env.example"


def defined_names(path):
    """The names of the variables an environment file defines (``NAME=…`` lines)."""
    return [match[1] for match in re.finditer(r"(?m)^([A-Z][A-Z0-9_]*)=", path.read_text())]


def sourced(path):
    """The variables an environment file defines, as bash reads it the way docs/deploy.md says
    (``set -a; . file``): every value a shell would give the app."""
    result = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; env -0', "bash", str(path)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    variables = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    return {name: variables[name] for name in defined_names(path) if name in variables}


def systemd_reading(path):
    """The variables as systemd's EnvironmentFile= reads them (systemd.exec(5)), for the two forms
    on which systemd and a shell agree: a plain value (letters, digits and ``-_.:/@,+%``) and a
    single-quoted one. Any other line fails here: a shell would read it differently, or not at all."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(?:([A-Za-z0-9_.:/@,+%=-]*)|'([^']*)')", line)
        assert match, f"line {number} is read differently by systemd and by a shell: {line!r}"
        values[match[1]] = match[2] if match[2] is not None else match[3]
    return values


def documented_environment():
    """deploy/production.env.example as the operator fills it in, read by a shell as docs/deploy.md
    says (``set -a; . /etc/quattropole/env``)."""
    values = sourced(DOCUMENTED_ENVIRONMENT)
    values["DJANGO_SECRET_KEY"] = get_random_secret_key()
    return values


def django_environment(**values):
    """The test run's environment without any DJANGO_ or DATABASE_ variable, plus ``values``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {**clean, "DJANGO_SETTINGS_MODULE": "quattropole_site.settings", **values}


def run_manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


# --- Static files ---------------------------------------------------------------------------------


def test_collectstatic_with_the_manifest_storage_on_a_fresh_folder(production_static):
    """The session's one production build (tests/conftest.py), made in a fresh folder."""
    static = production_static
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    for name in ("css/site.css", "js/site.js", "jquery-ui/jquery-ui.min.js", "admin/css/base.css"):
        assert name in manifest and (static / manifest[name]).is_file()
        assert (static / f"{manifest[name]}.gz").is_file()
    # Only the file of jQuery UI the admin uses: not its themes, whose images are not shipped.
    assert sorted(p for p in manifest if p.startswith("jquery-ui/")) == ["jquery-ui/jquery-ui.min.js"]


# --- Settings -------------------------------------------------------------------------------------


def test_the_documented_environment_can_be_sourced_by_a_shell_and_read_by_systemd():
    """docs/deploy.md's ``set -a; . /etc/quattropole/env`` sets every variable the file defines, to the
    value systemd's EnvironmentFile= gives the service (the sender's ``<…>`` once stopped the shell
    at that line: the admin's and the site's addresses after it were silently not set)."""
    names = defined_names(DOCUMENTED_ENVIRONMENT)
    assert {"DJANGO_DEFAULT_FROM_EMAIL", "DJANGO_SITE_URL", "DJANGO_ADMIN_URL"} <= set(names)
    assert sourced(DOCUMENTED_ENVIRONMENT) == systemd_reading(DOCUMENTED_ENVIRONMENT)
    assert sorted(sourced(DOCUMENTED_ENVIRONMENT)) == sorted(names)
    assert (
        sourced(DOCUMENTED_ENVIRONMENT)["DJANGO_DEFAULT_FROM_EMAIL"] == "QuattroPole <veranstaltungen@quattropole.org>"
    )


def test_deploy_checks_are_silent_with_the_documented_environment():
    result = run_manage(django_environment(**documented_environment()), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    # HSTS for subdomains and preloading are switched off in the file: a choice, accepted as such.
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_deploy_checks_ask_about_hsts_for_subdomains_and_preloading_left_unset():
    values = documented_environment()
    del values["DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"], values["DJANGO_SECURE_HSTS_PRELOAD"]
    result = run_manage(django_environment(**values), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    assert "security.W005" in result.stderr and "security.W021" in result.stderr


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"DJANGO_SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_SECURE_COOKIES": "false"}, "security.W012"),
        ({"DJANGO_DEFAULT_FROM_EMAIL": None}, "quattropole.E001"),  # noreply@localhost, refused by mail servers
        ({"DJANGO_DEFAULT_FROM_EMAIL": "QuattroPole <veranstaltungen@quattropole>"}, "quattropole.E001"),
    ],
)
def test_deploy_checks_still_refuse_a_real_problem(change, check):
    """(``None``: the variable left out.)"""
    values = {name: value for name, value in {**documented_environment(), **change}.items() if value is not None}
    result = run_manage(django_environment(**values), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1, result.stdout
    assert check in result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_a_missing_required_value_stops_start_up_naming_it(missing):
    values = documented_environment()
    del values[missing]
    result = run_manage(django_environment(**values), "check")
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr
    assert "Traceback" in result.stderr  # Django's own way of stopping; the last line names the value
    assert result.stderr.strip().splitlines()[-1].endswith("(see the configuration table in docs/configuration.md).")


def test_a_misspelt_switch_stops_start_up_naming_it():
    values = {**documented_environment(), "DJANGO_SECURE_SSL_REDIRECT": "ja"}
    result = run_manage(django_environment(**values), "check")
    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be true or false, not 'ja'." in result.stderr


# --- make serve -----------------------------------------------------------------------------------


def test_make_serve_serves_the_demo_with_debug_off(tmp_path, production_build):
    """scripts/serve (what `make serve` runs) without a production environment: a local trial
    of the production stack — collectstatic, checks, demo content, gunicorn — on a migrated
    database without content and an empty static folder."""
    port = free_port()
    env = django_environment(
        PORT=str(port),
        PY=sys.executable,
        DATABASE_URL=production_build.sqlite(tmp_path, demo=False),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOCAL_KEY_FILE=str(tmp_path / "key"),
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        GUNICORN_WORKERS="2",
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["scripts/serve"], cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(lambda: process.poll() is not None or port_open(port), timeout=180, what="make serve")
        assert process.poll() is None, log.read_text()
        browser = Browser(f"http://127.0.0.1:{port}")
        home = browser.get("/de/")
        assert home.status == 200
        stylesheet = next(part for part in home.text.split('"') if part.startswith("/static/css/site."))
        assert stylesheet != "/static/css/site.css"  # the hashed name, from the manifest
        assert browser.get(stylesheet).headers["Cache-Control"] == "max-age=31536000, public, immutable"
        event = browser.get("/de/veranstaltungen/zuwanderung-als-chance-fuer-unsere-vier-staedte/")
        assert event.status == 200 and "Zuwanderung als Chance" in event.text
        poster = next(part.split()[0] for part in event.text.split('"') if part.startswith("/media/renditions/"))
        assert browser.get(poster).status == 200
        missing = browser.get("/de/nichts-hier/")
        assert missing.status == 404 and "Seite nicht gefunden" in missing.text
        assert "URLconf" not in missing.text  # not Django's debug page
        assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # the local key is the owner's alone
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert 'GET /de/ HTTP/1.1" 200' in log.read_text()  # the access log on standard output


# --- The database goes away and comes back --------------------------------------------------------


def test_the_database_goes_away_and_comes_back(postgres_server, tmp_path, production_static, postgres_demo):
    postgres_server.create_database("quattropole")
    postgres_server.load("quattropole", postgres_demo.sql)
    postgres_demo.copy_media(tmp_path / "media")
    env = production_environment(
        tmp_path, DATABASE_URL=postgres_server.url("quattropole"), DJANGO_STATIC_ROOT=production_static
    )
    app = AppServer(env)
    app.start()
    try:
        visitor, french_visitor, staff = Browser(app.base_url), Browser(app.base_url, "fr"), Browser(app.base_url)
        assert visitor.get("/de/").status == 200
        staff.log_in(*postgres_demo.staff)
        edit_url = "/admin/events/event/"
        listing = staff.get(edit_url + "?q=Zuwanderung")
        event_path = re.search(r"/admin/events/event/\d+/change/", listing.text).group()
        form = form_fields(staff.get(event_path).text, "event_form")
        form = [(name, "Zuwanderung als Chance – neu" if name == "title_de" else value) for name, value in form]

        postgres_server.stop()

        # Pages not in the page cache (the home page, opened above, is served from it meanwhile).
        # A page already in the page cache is still served: visitors of the home page see no outage.
        assert visitor.get("/de/").status == 200
        # A page that must be rendered cannot be: a 503 in the visitor's language.
        for browser, path, text in (
            (visitor, "/de/veranstaltungen/vergangene/", "vorübergehend nicht erreichbar"),
            (french_visitor, "/fr/evenements/", "momentanément indisponible"),
        ):
            answer = browser.get(path)
            assert answer.status == 503
            assert answer.headers["Retry-After"] == "30"
            assert text in answer.text and "Traceback" not in answer.text
        assert visitor.get("/healthz").status == 503
        # Staff saving at that moment: a clear error, and the form comes back with what they typed.
        saving = staff.post(event_path, form)
        assert saving.status == 503
        assert "Ihre Eingaben sind noch nicht gespeichert" in saving.text
        kept = saving.hidden_fields(form_action=event_path)
        assert ("title_de", "Zuwanderung als Chance – neu") in kept

        postgres_server.start()

        # The same gunicorn, no restart: the next request is served normally again.
        assert app.process.poll() is None
        assert visitor.get("/de/").status == 200
        assert visitor.get("/healthz").status == 200
        resent = staff.post(event_path, kept)
        assert resent.status == 302, resent.text[:2000]
        page = visitor.get("/de/veranstaltungen/zuwanderung-als-chance-fuer-unsere-vier-staedte/")
        assert "<h1>Zuwanderung als Chance – neu</h1>" in page.text
    finally:
        app.stop()
