"""The legal pages (pages/): reachable from every page's footer in one click, in the visitor's
language, the switch landing on the counterpart; drafts a preview for staff only; the sitemap; the
page cache; the Sekretariat's rights; the demo complete."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from pages.models import Organisation, SitePage
from tests.factories import EventFactory
from tests.helpers import html_of, url

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "legal_notice": {"de": "/de/impressum/", "fr": "/fr/mentions-legales/"},
    "privacy": {"de": "/de/datenschutz/", "fr": "/fr/donnees-personnelles/"},
    "accessibility": {"de": "/de/barrierefreiheit/", "fr": "/fr/accessibilite/"},
    "easy_language": {"de": "/de/leichte-sprache/", "fr": "/fr/falc/"},
    "sign_language": {"de": "/de/gebaerdensprache/", "fr": "/fr/langue-des-signes/"},
}


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_page_links_the_legal_pages_in_its_language(client, site_pages, language):
    event = EventFactory(slug_de="treffen", slug_fr="rencontre")
    for page_url in (url("home", language), url("events:list", language), event.get_absolute_url(language)):
        page = html_of(client.get(page_url))
        footer = page[page.index('class="site-footer"') :]
        for kind in ADDRESSES:
            assert f'href="{ADDRESSES[kind][language]}"' in footer


def test_the_error_pages_link_them_too(client, site_pages):
    response = client.get("/fr/evenements/n-existe-pas/")
    assert response.status_code == 404
    footer = html_of(response)[html_of(response).index('class="site-footer"') :]
    assert 'href="/fr/mentions-legales/"' in footer and 'href="/fr/accessibilite/"' in footer
    assert '<a href="/fr/langue-des-signes/">Langue des signes</a>' in footer


@pytest.mark.parametrize(
    "kind, language, heading",
    [
        ("legal_notice", "de", "Impressum"),
        ("legal_notice", "fr", "Mentions légales"),
        ("privacy", "de", "Datenschutz"),
        ("privacy", "fr", "Données personnelles"),
        ("accessibility", "de", "Erklärung zur Barrierefreiheit"),
        ("accessibility", "fr", "Déclaration d’accessibilité"),
        ("easy_language", "de", "Leichte Sprache"),
        ("easy_language", "fr", "Facile à lire et à comprendre (FALC)"),
        ("sign_language", "de", "Gebärdensprache"),
        ("sign_language", "fr", "Langue des signes"),
    ],
)
def test_each_page_in_each_language_and_its_switch_lands_on_the_counterpart(
    client, site_pages, kind, language, heading
):
    response = client.get(ADDRESSES[kind][language])
    assert response.status_code == 200
    page = html_of(response)
    assert f">{heading}</h1>" in page
    assert page.count("<h1") == 1
    other = "fr" if language == "de" else "de"
    assert f'<link rel="alternate" hreflang="{other}" href="http://testserver{ADDRESSES[kind][other]}">' in page
    assert f'href="{ADDRESSES[kind][other]}" hreflang="{other}" lang="{other}"' in page


def test_the_legal_notice_shows_every_required_field_in_the_pages_language(client, site_pages):
    page = html_of(client.get("/fr/mentions-legales/"))
    for shown in (
        "QuattroPole e.V.",
        "association de droit allemand (exemple)",
        "Sarrebruck",
        "Allemagne",
        "Jean Exemple (vice-président)",
        "VR 0000",
        "Tribunal d’instance (Amtsgericht) de Sarrebruck (exemple)",
        "Directeur de la publication",
        "Beispiel-Hosting GmbH",
        'data-domain="gro.elpmaxe"',  # the e-mail address, protected as on event pages
    ):
        assert shown in page
    assert "Données d’exemple" in page  # the demo's invented data is marked


def test_the_privacy_notice_states_the_retention_the_anonymisation_applies(client, site_pages, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 9
    page = html_of(client.get("/de/datenschutz/"))
    assert "9 Monate nach dem Ende der Veranstaltung anonymisiert" in page
    assert "Unabhängiges Datenschutzzentrum Saarland" in page
    assert "Commission nationale de l’informatique et des libertés (CNIL)" in page


def test_a_draft_is_a_404_for_visitors_and_a_preview_for_staff(client, secretary, site_pages):
    SitePage.objects.filter(kind="easy_language").update(published=False)
    assert Client().get("/fr/falc/").status_code == 404
    response = secretary.get("/fr/falc/")
    assert response.status_code == 200
    assert "Aperçu\u00a0: cette page n’est pas encore publiée" in html_of(response)


def test_staff_see_what_a_legal_page_lacks(client, secretary, site_pages):
    Organisation.objects.filter(pk=1).update(register_court_fr="", host_de="")
    page = html_of(secretary.get("/de/impressum/"))
    warning = page.split("Für Mitarbeitende: Bis diese Seite vollständig ist, fehlt:")[1].split("</ul>")[0]
    assert "<li>Registergericht (Französisch)</li>" in warning
    assert "<li>Hosting-Anbieter (Deutsch)</li>" in warning
    assert warning.count("<li>") == 2
    assert "Für Mitarbeitende" not in html_of(Client().get("/de/impressum/"))


def test_another_page_by_its_slug_in_each_language(client, db):
    page = SitePage(kind="other", title_de="Über uns", title_fr="À propos", body_de="Text", published=True)
    page.full_clean()
    page.save()
    assert page.slug_de == "ueber-uns" and page.slug_fr == "a-propos"
    assert client.get("/de/info/ueber-uns/").status_code == 200
    french = html_of(client.get("/fr/infos/a-propos/"))
    assert ">À propos</h1>" in french
    assert 'href="/de/info/ueber-uns/" hreflang="de"' in french
    assert client.get("/fr/infos/ueber-uns/").status_code == 404  # the French page has its own address


def test_the_sitemap_lists_the_pages_with_their_alternates(client, site_pages):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        u.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", namespaces=ns)
        }
        for u in root.findall("s:url", ns)
    }
    assert entries["http://testserver/fr/mentions-legales/"] == {
        "de": "http://testserver/de/impressum/",
        "fr": "http://testserver/fr/mentions-legales/",
        "x-default": "http://testserver/de/impressum/",
    }
    assert "http://testserver/de/barrierefreiheit/" in entries
    assert entries["http://testserver/de/gebaerdensprache/"] == {
        "de": "http://testserver/de/gebaerdensprache/",
        "fr": "http://testserver/fr/langue-des-signes/",
        "x-default": "http://testserver/de/gebaerdensprache/",
    }


def test_an_edit_of_a_page_is_served_at_the_next_request(site_pages):
    visitor = Client()
    assert visitor.get("/de/impressum/")["X-Page-Cache"] == "miss"
    assert visitor.get("/de/impressum/")["X-Page-Cache"] == "hit"
    page = SitePage.objects.get(kind="legal_notice")
    page.body_de = "Neuer Absatz im Impressum."
    page.save()
    after = visitor.get("/de/impressum/")
    assert after["X-Page-Cache"] == "miss"
    assert "Neuer Absatz im Impressum." in html_of(after)


def test_the_secretariat_may_edit_the_pages_and_read_feedback(db):
    codenames = set(
        Group.objects.get(name="Sekretariat")
        .permissions.filter(content_type__app_label="pages")
        .values_list("codename", flat=True)
    )
    assert {"change_sitepage", "add_sitepage", "change_organisation", "add_manualfinding"} <= codenames
    assert {"view_feedback", "change_feedback", "view_auditrun"} <= codenames
    assert "add_feedback" not in codenames and "delete_auditrun" not in codenames


def test_the_demo_loads_every_page_complete(db):
    # Without drawing the posters (tests/test_demo.py checks them): the pages are what is read here.
    call_command("load_demo", "--no-posters", stdout=io.StringIO())
    pages = SitePage.objects.all()
    assert {page.kind for page in pages} == {
        "legal_notice",
        "privacy",
        "accessibility",
        "easy_language",
        "sign_language",
    }
    assert all(page.published for page in pages)
    assert [page.missing_texts() for page in pages] == [[], [], [], [], []]
    assert Organisation.current().missing_fields() == []
    assert Organisation.current().is_example


def test_the_secretariat_edits_a_page_in_both_languages_with_history_and_warnings(secretary, site_pages):
    page = site_pages["legal_notice"]
    form = html_of(secretary.get(f"/admin/pages/sitepage/{page.pk}/change/"))
    assert 'name="title_de"' in form and 'name="title_fr"' in form
    assert 'href="/fr/mentions-legales/" class="viewsitelink" hreflang="fr"' in form
    Organisation.objects.filter(pk=1).update(host_fr="")
    response = secretary.post(
        f"/admin/pages/sitepage/{page.pk}/change/",
        {
            "kind": "legal_notice",
            "title_de": "Impressum",
            "title_fr": "Mentions légales",
            "slug_de": "",
            "slug_fr": "",
            "summary_de": "",
            "summary_fr": "",
            "body_de": "Neu",
            "body_fr": "",
            "published": "on",
            "order": "10",
        },
        follow=True,
    )
    shown = html_of(response)
    assert (
        "Veröffentlicht, obwohl Texte oder Pflichtangaben fehlen: Text (Französisch), Hosting-Anbieter (Französisch)"
        in shown
    )
    history = html_of(secretary.get(f"/admin/pages/sitepage/{page.pk}/history/"))
    assert "Text (Deutsch)" in history


def test_the_publishers_form_names_what_the_legal_pages_lack(secretary, site_pages):
    Organisation.objects.filter(pk=1).update(register_number="")
    form = html_of(secretary.get("/admin/pages/organisation/1/change/"))
    assert "Die rechtlichen Seiten brauchen diese Felder: Registernummer" in form
    assert secretary.get("/admin/pages/organisation/").url == "/admin/pages/organisation/1/change/"
