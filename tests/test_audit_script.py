"""`make audit`'s Python side (scripts/audit.py): what the crawler follows and how it names page
types, the scenarios (the registrant's signed links, the Sekretariat account), and the French
typography rules the browser side applies to each page's French text. (The audit itself needs
Node and a browser: `make audit`, run by CI after `make test`.)"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import Event

from .helpers import demo_for_a_group

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_links_and_each_choice_of_a_get_form_are_followed():
    parser = audit.PageLinks()
    parser.feed(
        """<a href="/de/veranstaltungen/">Liste</a>
        <form method="get" action="/de/veranstaltungen/">
          <select name="city"><option value="">Alle</option><option value="metz">Metz</option>
            <option value="trier">Trier</option></select>
          <select name="year"><option value="">Alle</option><option value="2017">2017</option></select>
        </form>
        <form method="post" action="/anmelden/"><select name="x"><option value="1">1</option></select></form>"""
    )
    assert parser.links == ["/de/veranstaltungen/", "/de/veranstaltungen/?city=metz", "/de/veranstaltungen/?year=2017"]


@pytest.mark.parametrize(
    ("path", "query", "kind"),
    [
        ("/de/", "", "home"),
        ("/fr/evenements/", "", "events:list"),
        ("/fr/evenements/", "page=1", "events:list"),  # the first page is the list itself
        ("/de/veranstaltungen/", "page=2", "events:list ?page"),
        ("/de/veranstaltungen/vergangene/", "city=metz&year=", "events:past ?filtered"),
        ("/de/veranstaltungen/ein-treffen/", "", "events:detail"),
        ("/fr/evenements/une-rencontre/programme/", "", "events:programme"),
        ("/de/gibt/es/nicht/", "", None),
    ],
)
def test_a_page_type_is_the_url_name_and_what_the_query_does(path, query, kind):
    assert audit.page_type(path, query) == kind


# --- The scenarios: the registrant's pages and the staff account ----------------------------------


def test_a_scenario_names_its_address_per_language_or_the_registrants_page_it_audits():
    scenarios = [
        {"name": "404", "path": {"de": "/de/x/", "fr": "/fr/x/"}, "status": 404},
        {"name": "admin login", "path": "/admin/login/", "languages": ["fr"]},
        {"name": "registrant's page", "registrant": "registration:manage"},
    ]
    pages = audit.scenario_pages(scenarios, registrant_link=lambda page, language: f"/{language}/{page}/")
    assert [(page["name"], page["language"], page["path"]) for page in pages] == [
        ("404", "de", "/de/x/"),
        ("404", "fr", "/fr/x/"),
        ("admin login", "fr", "/admin/login/"),
        ("registrant's page", "de", "/de/registration:manage/"),
        ("registrant's page", "fr", "/fr/registration:manage/"),
    ]
    assert audit.scenario_pages(scenarios, only=["admin login"])[0]["path"] == "/admin/login/"


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the tests that audit it (tests/helpers.py:
    ``demo_for_a_group``): what each test writes (the audit's accounts) is rolled back after it."""
    with demo_for_a_group(django_db_blocker, tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture
def demo(_demo_of_the_module, db):
    """The demo content of the module (``_demo_of_the_module``)."""


def test_the_registrants_pages_open_at_the_signed_links_the_audit_builds_in_both_languages(client, demo):
    registration = audit.registrant(audit.staff_account("a-long-test-password"))
    assert registration.status == registration.Status.CONFIRMED
    for page in ("registration:manage", "registration:change", "registration:cancel"):
        for language in ("de", "fr"):
            path = audit.registrant_path(registration, page, language)
            assert path.startswith(f"/{language}/")
            response = client.get(path)
            assert response.status_code == 200, path
            assert "Marchand-Schneider" in response.content.decode()


def test_the_staff_scenarios_log_in_as_a_secretary_who_may_open_every_staff_page_audited(client, demo):
    staff = audit.staff_account("a-long-test-password")
    assert not staff.is_superuser
    login = client.post(
        reverse("admin:login"),
        {"username": audit.STAFF_USERNAME, "password": "a-long-test-password", "next": "/admin/"},
    )
    assert login.status_code == 302
    changelist = client.get(reverse("admin:events_event_changelist") + "?q=Zuwanderung")
    assert changelist.status_code == 200
    event = Event.objects.get(title_de__startswith="Zuwanderung")
    for url in (
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_event_translate", args=[event.pk]),
        reverse("admin:events_event_paste_programme", args=[event.pk]),
    ):
        assert client.get(url).status_code == 200, url


# --- French typography (the rules audit.mjs applies to the French text of each page) -------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Téléphone: 03 87 55 50 00", [("nbsp-before-punctuation", "no space before “:”")]),
        ("Lieu : Hôtel de Ville", [("nbsp-before-punctuation", "a breaking space before “:”")]),
        ("Lieu\u00a0: Hôtel de Ville", []),
        ("Lieu\u202f: Hôtel de Ville", []),
        ("Metz ; Trèves", [("nbsp-before-punctuation", "a breaking space before “;”")]),
        ("Vraiment?", [("nbsp-before-punctuation", "no space before “?”")]),
        ("Bienvenue !", [("nbsp-before-punctuation", "a breaking space before “!”")]),
        ("Vraiment\u00a0?!", []),  # the second mark follows the first
        (
            "Déjeuner « Cuisine du monde »",
            [
                ("nbsp-inside-guillemets", "a breaking space after “«”"),
                ("nbsp-inside-guillemets", "a breaking space before “»”"),
            ],
        ),
        (
            "Déjeuner «Cuisine»",
            [("nbsp-inside-guillemets", "no space after “«”"), ("nbsp-inside-guillemets", "no space before “»”")],
        ),
        ("Déjeuner «\u00a0Cuisine du monde\u202f»", []),
        # Not prose: times and scores, addresses, e-mail addresses, the start of a line.
        ("Accueil à 9:30, clôture à 16:15:00", []),
        ("Voir https://exemple.fr/evenements/?page=2&annee=2017 ou mailto:info@exemple.fr", []),
        ("Écrire à secretariat@quattropole.org", []),
        ("Notes\n: une ligne qui commence ainsi", []),
        ("", []),
    ],
)
def test_french_typography_wants_a_no_break_space_before_double_punctuation_and_inside_guillemets(text, found):
    assert [(rule, problem) for rule, _excerpt, problem in audit.french_typography(text)] == found


def test_a_typography_finding_shows_the_text_around_it_cut_at_spaces():
    text = "Le groupe de projet QuattroPole « Politique sociale communale » organise une conférence"
    [(_rule, first, _), (_rule2, second, _)] = audit.french_typography(text)
    assert first == "…groupe de projet QuattroPole « Politique…"
    assert second == "…Politique sociale communale » organise une…"
    assert audit.french_typography("Téléphone: 03")[0][1] == "Téléphone: 03"


def test_the_same_typography_finding_in_several_elements_is_one_finding_naming_the_first():
    blocks = [
        {"element": "h3#event-1-title", "text": "Exemple : Atelier"},
        {"element": "h3#event-2-title", "text": "Exemple : Atelier"},
        {"element": "h3#event-3-title", "text": "Exemple : Atelier"},
        {"element": "p.contact", "text": "Téléphone\u00a0: 03 ; Courriel:"},
    ]
    assert audit.french_typography_findings(blocks) == [
        {
            "rule": "nbsp-before-punctuation",
            "element": "h3#event-1-title",
            "message": "“Exemple : Atelier”: a breaking space before “:”, where French needs a no-break space "
            "(U+00A0 or U+202F) (also in 2 other elements)",
        },
        {
            "rule": "nbsp-before-punctuation",
            "element": "p.contact",
            "message": "“Téléphone\u00a0: 03 ; Courriel:”: a breaking space before “;”, where French needs a no-break "
            "space (U+00A0 or U+202F)",
        },
        {
            "rule": "nbsp-before-punctuation",
            "element": "p.contact",
            "message": "“Téléphone\u00a0: 03 ; Courriel:”: no space before “:”, where French needs a no-break space "
            "(U+00A0 or U+202F)",
        },
    ]


def test_audit_mjs_asks_the_script_for_the_typography_findings_as_json():
    blocks = [{"element": "span#admin-language-label", "text": "Langue de l’administration:"}]
    answer = subprocess.run(
        [sys.executable, str(SCRIPT), "--french-typography"],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(answer.stdout) == [
        {
            "rule": "nbsp-before-punctuation",
            "element": "span#admin-language-label",
            "message": "“Langue de l’administration:”: no space before “:”, where French needs a no-break space "
            "(U+00A0 or U+202F)",
        }
    ]
