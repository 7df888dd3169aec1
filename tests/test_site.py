"""The site as production runs it: error pages that cannot fail, the database going away, the
health check, the headers on every response, static files' caching, and the admin's protection
against password guessing."""

import importlib
import json
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.test import Client
from django.urls import clear_url_caches, set_urlconf

from events import views as event_views
from quattropole_site import views as site_views

from .factories import EventFactory
from .helpers import html_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def crash(*args, **kwargs):
    raise RuntimeError("boom")


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.fixture
def visitor():
    """A client that gets the error page a visitor gets, not the exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def staff_user():
    user = get_user_model().objects.create_user("sekretariat", password=PASSWORD, is_staff=True, is_superuser=True)
    return user


def assert_our_layout(response, language):
    html = html_of(response)
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Traceback" not in html and "RuntimeError" not in html and "OperationalError" not in html


# --- Error pages ------------------------------------------------------------------------------


class TestErrorPages:
    @pytest.mark.parametrize(("language", "heading"), [("de", "Serverfehler"), ("fr", "Erreur du serveur")])
    def test_a_crash_is_our_500_page_in_the_visitors_language(self, visitor, monkeypatch, language, heading):
        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        response = visitor.get(f"/{language}/")
        assert response.status_code == 500
        assert heading in html_of(response)
        assert_our_layout(response, language)
        assert 'rel="canonical"' not in html_of(response)

    @pytest.mark.parametrize(("language", "heading"), [("de", "Seite nicht gefunden"), ("fr", "Page introuvable")])
    def test_404(self, visitor, language, heading):
        response = visitor.get(f"/{language}/nichts-hier/")
        assert response.status_code == 404
        assert heading in html_of(response)
        assert_our_layout(response, language)

    def test_403_in_the_admin_is_ours_in_the_staff_members_language(self, visitor):
        user = get_user_model().objects.create_user("praktikant", password=PASSWORD, is_staff=True)
        visitor.force_login(user)  # staff, but without permission to add events
        response = visitor.get("/admin/events/event/add/", HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 403
        assert "Accès refusé" in html_of(response)
        assert_our_layout(response, "fr")

    def test_403_from_a_public_view(self, visitor, monkeypatch):
        def refuse(*args, **kwargs):
            raise PermissionDenied

        monkeypatch.setattr(event_views.HomeView, "get_context_data", refuse)
        response = visitor.get("/de/")
        assert response.status_code == 403
        assert "Zugriff verweigert" in html_of(response)

    def test_a_form_without_its_security_token_is_explained(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/admin/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 403
        assert "Das Formular konnte nicht gesendet werden" in html_of(response)
        assert_our_layout(response, "de")

    def test_what_was_typed_is_shown_to_copy_but_never_sent_again(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/de/", {"first_name": "Anaïs", "password": "geheim", "email": "a@example.org"})
        html = html_of(response)
        assert response.status_code == 403
        assert "<dt>first_name</dt><dd>Anaïs</dd>" in html and "a@example.org" in html
        assert "geheim" not in html and "<form" not in html.split("<main", 1)[1]

    def test_an_unknown_host_is_a_400_that_does_not_repeat_it(self, visitor):
        response = visitor.get("/fr/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert "Requête incorrecte" in html_of(response)
        assert "evil.example" not in html_of(response)
        assert_our_layout(response, "fr")


class TestTheErrorPageSurvivesItsCauses:
    """The 500 page is rendered when the database, the cache or the static files manifest is
    what failed: our page, not Django's plain "Server Error (500)"."""

    def test_database_broken(self, visitor, monkeypatch):
        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        with connection.execute_wrapper(database_down):
            response = visitor.get("/de/")
        assert response.status_code == 500
        assert "Serverfehler" in html_of(response)
        assert_our_layout(response, "de")

    def test_cache_broken(self, visitor, monkeypatch, settings):
        settings.CACHES = {"default": {"BACKEND": "tests.broken_cache.BrokenCache"}}
        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        response = visitor.get("/fr/")
        assert response.status_code == 500
        assert "Erreur du serveur" in html_of(response)
        assert_our_layout(response, "fr")

    def test_static_manifest_missing(self, visitor, monkeypatch, settings, tmp_path):
        settings.STATIC_ROOT = tmp_path / "never-collected"
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        response = visitor.get("/de/")
        not_found = visitor.get("/de/nichts-hier/")
        assert response.status_code == 500
        assert "Serverfehler" in html_of(response)
        assert '<link rel="stylesheet" href="/static/css/site.css">' in html_of(response)
        assert_our_layout(response, "de")
        assert not_found.status_code == 404 and "Seite nicht gefunden" in html_of(not_found)

    def test_even_our_template_broken(self, visitor, monkeypatch):
        def no_template(*args, **kwargs):
            raise OSError("disk gone")

        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        monkeypatch.setattr(site_views.loader, "get_template", no_template)
        response = visitor.get("/fr/")
        assert response.status_code == 500
        assert '<html lang="fr">' in html_of(response) and "Erreur du serveur" in html_of(response)


# --- The database goes away -----------------------------------------------------------------


class TestDatabaseAway:
    @pytest.mark.parametrize(("language", "text"), [("de", "vorübergehend nicht erreichbar"), ("fr", "momentanément")])
    def test_visitors_get_a_503_in_their_language(self, visitor, language, text):
        event = EventFactory()
        with connection.execute_wrapper(database_down):
            responses = [visitor.get(f"/{language}/"), visitor.get(event.get_absolute_url(language))]
        for response in responses:
            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            assert text in html_of(response)
            assert_our_layout(response, language)

    def test_staff_saving_a_form_get_it_back_filled_in(self, visitor, staff_user):
        event = EventFactory(title_de="Alter Titel")
        visitor.force_login(staff_user)
        change_url = f"/admin/events/event/{event.pk}/change/"
        sent = {
            "title_de": "Neuer Titel mit Umlauten: Größe",
            "title_fr": "Nouveau titre",
            "csrfmiddlewaretoken": "t",
            "password": "never-echoed",
        }
        with connection.execute_wrapper(database_down):
            response = visitor.post(change_url, sent, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 503
        html = html_of(response)
        assert "Ihre Eingaben sind noch nicht gespeichert" in html
        assert f'<form method="post" action="{change_url}">' in html
        assert '<input type="hidden" name="title_de" value="Neuer Titel mit Umlauten: Größe">' in html
        assert '<input type="hidden" name="csrfmiddlewaretoken" value="t">' in html
        assert "password" not in html
        # What a person typed is also shown to copy; the security token is not.
        assert "<dt>title_fr</dt><dd>Nouveau titre</dd>" in html and "<dt>csrfmiddlewaretoken" not in html

    def test_an_error_that_is_not_an_outage_stays_a_500(self, visitor, monkeypatch):
        from django.db import IntegrityError

        def conflict(*args, **kwargs):
            raise IntegrityError("duplicate key")

        monkeypatch.setattr(event_views.HomeView, "get_context_data", conflict)
        assert visitor.get("/de/").status_code == 500


# --- /healthz ---------------------------------------------------------------------------------


class TestHealthCheck:
    def test_all_well(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"database": "ok", "cache": "ok"}
        assert "no-cache" in response["Cache-Control"]
        assert not response.cookies

    def test_database_down(self, client):
        with connection.execute_wrapper(database_down):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"database": "down", "cache": "ok"}

    def test_cache_down(self, client, settings):
        settings.CACHES = {"default": {"BACKEND": "tests.broken_cache.BrokenCache"}}
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"database": "ok", "cache": "down"}

    def test_outside_the_language_prefix_and_the_sitemap(self, client):
        EventFactory()
        assert client.get("/de/healthz").status_code == 404
        assert "healthz" not in html_of(client.get("/sitemap.xml"))


# --- Headers ----------------------------------------------------------------------------------

SECURITY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


class TestHeaders:
    def test_pages_admin_and_errors(self, visitor, admin_client, monkeypatch):
        event = EventFactory()
        for response in (
            visitor.get("/de/"),
            visitor.get(event.get_absolute_url("fr")),
            visitor.get("/de/nichts-hier/"),
            visitor.get("/admin/login/"),
            admin_client.get("/admin/events/event/"),
            visitor.get("/healthz"),
        ):
            assert_security_headers(response)
            assert "immutable" not in response.get("Cache-Control", "")
        monkeypatch.setattr(event_views.HomeView, "get_context_data", crash)
        assert_security_headers(visitor.get("/de/"))

    def test_static_files_hashed_for_a_year_immutable(self, settings, tmp_path):
        """collectstatic with the production storage, then the files as WhiteNoise serves them."""
        settings.STATIC_ROOT = tmp_path / "static"
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())["paths"]
        client = Client()  # a new client loads WhiteNoise, which reads STATIC_ROOT
        hashed = client.get(f"/static/{manifest['css/site.css']}")
        plain = client.get("/static/css/site.css")
        assert hashed.status_code == 200
        assert hashed["Cache-Control"] == "max-age=31536000, public, immutable"
        assert_security_headers(hashed)
        assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]


# --- The admin: password guessing, its address, logout ---------------------------------------


def log_in(client, username, password, address="192.0.2.1", language="de"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


class TestPasswordGuessing:
    def test_twenty_wrong_passwords_lock_the_attacker_out(self, staff_user):
        client = Client()
        answers = [log_in(client, "sekretariat", f"guess {n}", address="198.51.100.7") for n in range(20)]
        assert answers[0].status_code == 200  # the login form again, with its error
        assert answers[-1].status_code == 429
        assert "Zu viele fehlgeschlagene Anmeldungen" in html_of(answers[-1])
        assert answers[-1]["Retry-After"] == "3600"
        # Locked at the attacker's address: even the right password is refused there now.
        assert log_in(client, "sekretariat", PASSWORD, address="198.51.100.7").status_code == 429

    def test_an_attacker_elsewhere_cannot_lock_the_owner_out(self, staff_user):
        for n in range(20):
            log_in(Client(), "sekretariat", f"guess {n}", address="198.51.100.7")
        assert log_in(Client(), "sekretariat", PASSWORD, address="198.51.100.7").status_code == 429
        # The staff member at their own desk logs in as usual.
        assert log_in(Client(), "sekretariat", PASSWORD, address="192.0.2.1").status_code == 302

    def test_a_colleague_at_the_same_address_is_not_locked_out_by_someone_elses_typos(self, staff_user):
        get_user_model().objects.create_user("kollegin", password=PASSWORD, is_staff=True)
        for n in range(10):
            log_in(Client(), "kollegin", f"vertippt {n}", address="192.0.2.1")
        assert log_in(Client(), "kollegin", PASSWORD, address="192.0.2.1").status_code == 429
        assert log_in(Client(), "sekretariat", PASSWORD, address="192.0.2.1").status_code == 302

    def test_one_address_trying_many_user_names_is_locked_out_too(self, staff_user, settings):
        assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30
        client = Client()
        for n in range(29):
            log_in(client, f"user{n}", "guess", address="203.0.113.9")
        assert log_in(client, "sekretariat", PASSWORD, address="203.0.113.9").status_code == 302
        client.post("/admin/logout/")
        log_in(client, "user29", "guess", address="203.0.113.9")
        response = log_in(client, "sekretariat", PASSWORD, address="203.0.113.9", language="fr")
        assert response.status_code == 429
        assert "Trop de tentatives de connexion" in html_of(response)
        # The staff member, from their own address, is not the one locked out.
        assert log_in(Client(), "sekretariat", PASSWORD, address="192.0.2.44").status_code == 302

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("de", "Seit Ihrer letzten Anmeldung wurden 3 falsche Passwörter für Ihren Benutzernamen"),
            ("fr", "Depuis votre dernière connexion, 3\u00a0mots de passe erronés ont été saisis"),
        ],
    )
    def test_staff_are_told_about_wrong_passwords_from_elsewhere(self, staff_user, language, text):
        assert log_in(Client(), "sekretariat", PASSWORD, address="192.0.2.1").status_code == 302
        for n in range(3):
            log_in(Client(), "sekretariat", f"guess {n}", address="198.51.100.7")
        log_in(Client(), "sekretariat", "my own typo", address="192.0.2.1")
        client = Client()
        log_in(client, "sekretariat", PASSWORD, address="192.0.2.1", language=language)
        page = html_of(client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language))
        assert text in page and "198.51.100.7" in page
        # Told once: the next login has nothing to tell.
        log_in(client, "sekretariat", PASSWORD, address="192.0.2.1", language=language)
        assert "198.51.100.7" not in html_of(client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language))

    def test_staff_are_not_told_about_their_own_typos(self, staff_user):
        log_in(Client(), "sekretariat", "my own typo", address="192.0.2.1")
        client = Client()
        log_in(client, "sekretariat", PASSWORD, address="192.0.2.1")
        assert 'class="messagelist"' not in html_of(client.get("/admin/"))

    def test_staff_lift_a_lock_out_in_the_admin(self, staff_user, admin_client):
        for n in range(10):
            log_in(Client(), "sekretariat", f"guess {n}")
        assert log_in(Client(), "sekretariat", PASSWORD).status_code == 429
        attempts = admin_client.get("/admin/axes/accessattempt/")
        assert attempts.status_code == 200 and "sekretariat" in html_of(attempts)
        attempt = AccessAttempt.objects.get(username="sekretariat")
        admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        assert log_in(Client(), "sekretariat", PASSWORD).status_code == 302

    def test_the_secretariat_group_may_lift_lock_outs(self):
        from django.contrib.auth.models import Group

        codenames = set(Group.objects.get(name="Sekretariat").permissions.values_list("codename", flat=True))
        assert {"view_accessattempt", "delete_accessattempt"} <= codenames

    def test_logout_only_by_post(self, admin_client):
        assert admin_client.get("/admin/logout/").status_code == 405
        assert admin_client.post("/admin/logout/").status_code == 200


@pytest.fixture
def admin_elsewhere(settings):
    """The admin at /verwaltung/ (DJANGO_ADMIN_URL), URLs loaded anew with it."""
    import quattropole_site.urls

    settings.ADMIN_URL = "verwaltung/"
    importlib.reload(quattropole_site.urls)
    clear_url_caches()
    set_urlconf(None)
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(quattropole_site.urls)
    clear_url_caches()
    set_urlconf(None)


def test_the_admin_address_comes_from_the_environment(client, admin_elsewhere):
    assert client.get("/verwaltung/").status_code == 302
    assert client.get("/admin/").status_code == 404
    # No public page names the admin's own address.
    assert "verwaltung" not in html_of(client.get("/de/"))
    assert "verwaltung" not in html_of(client.get("/robots.txt"))


def test_admin_url_setting_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.ADMIN_URL)"
    env = {"DJANGO_SETTINGS_MODULE": "quattropole_site.settings", "DJANGO_ADMIN_URL": "/intern"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
        check=True,
    )
    assert result.stdout.strip() == "intern/"
