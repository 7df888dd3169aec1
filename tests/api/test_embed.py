"""The embeddable list (/de/einbetten/, /fr/integrer/, api/embed.py) and its generator in the
admin (api/generator.py)."""

import html
import re

import pytest
from django.test import Client

from tests.factories import CategoryFactory, CityFactory, EventFactory, ProjectGroupFactory
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

PARTNER = "https://www.metz.fr"


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def listed(db):
    metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
    trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
    group = ProjectGroupFactory(name_de="Kultur", name_fr="Culture")
    EventFactory(title_de="Begegnung in Metz", title_fr="Rencontre à Metz", project_group=group).cities.set([metz])
    EventFactory(title_de="Forum in Trier", title_fr="Forum à Trèves").cities.set([trier])
    return {"metz": metz, "group": group}


def test_the_list_shows_the_chosen_citys_upcoming_events_in_the_pages_language(visitor, listed):
    page = html_of(visitor.get("/fr/integrer/?city=metz"))
    assert "Rencontre à Metz" in page
    assert "Forum à Trèves" not in page
    assert '<html lang="fr">' in page
    # One script, from the site itself: the list's height for the partner's page.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/embed-height.js" defer>']
    page = html_of(visitor.get(f"/de/einbetten/?project_group={listed['group'].pk}"))
    assert "Begegnung in Metz" in page
    assert "Forum in Trier" not in page


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/de/einbetten/?city=paris", "Diese Liste kann nicht angezeigt werden: unbekannter Filter (city)."),
        ("/fr/integrer/?ville=metz", "Cette liste ne peut pas être affichée\u00a0: filtre inconnu (ville)."),
    ],
)
def test_an_unknown_filter_is_said_in_the_visitors_language(visitor, listed, address, message):
    response = visitor.get(address)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_only_the_allowed_sites_may_frame_the_list_and_no_site_any_other_page(visitor, listed, settings):
    settings.EMBED_ALLOWED_ORIGINS = [PARTNER]
    for _ in range(2):  # rendered, then from the page cache
        embed = visitor.get("/de/einbetten/?city=metz")
        assert f"frame-ancestors {PARTNER}" in embed["Content-Security-Policy"]
        assert "X-Frame-Options" not in embed
    assert embed["X-Page-Cache"] == "hit"
    other = visitor.get("/de/")
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]
    assert other["X-Frame-Options"] == "DENY"


def test_without_allowed_sites_no_site_may_frame_the_list(visitor, listed, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    assert "frame-ancestors 'none'" in visitor.get("/fr/integrer/")["Content-Security-Policy"]


def test_the_generator_gives_the_secretariat_the_snippet(secretary, listed, settings):
    settings.EMBED_ALLOWED_ORIGINS = [PARTNER]
    page = html_of(secretary.get("/admin/embed/?language=fr&city=metz&category=&project_group=&height=500"))
    assert html.escape('<iframe src="http://testserver/fr/integrer/?city=metz"') in page
    assert 'height="500"' in html.unescape(page)
    # The script that sizes the iframe to the list, from this site, under a name that lasts.
    assert html.escape('<script src="http://testserver/static/js/embed-resize.js" defer></script>') in page
    assert "wo es nicht laufen kann, gilt diese Höhe." in html.unescape(page)  # the admin in German
    assert PARTNER in page
    assert "/admin/embed/" in html_of(secretary.get("/admin/"))


def test_the_generator_is_for_staff_only(visitor, db):
    response = visitor.get("/admin/embed/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_category_filter_in_the_generator(secretary, listed):
    CategoryFactory(code="kultur", name_de="Kultur", name_fr="Culture")
    page = html.unescape(html_of(secretary.get("/admin/embed/?language=de&category=kultur&height=600")))
    assert 'src="http://testserver/de/einbetten/?category=kultur"' in page


def where_of_each(page):
    """Each listed event's title, and where the line under it says it takes place."""
    found = re.findall(r'class="embed__link"[^>]*>([^<]*)<.*?<p class="embed__meta">(.*?)</p>', page, re.DOTALL)
    return {title: html.unescape(re.sub(r"<[^>]+>", "", meta)).split(" · ")[1:] for title, meta in found}


@pytest.mark.parametrize(("address", "online"), [("/de/einbetten/", "Online"), ("/fr/integrer/", "En ligne")])
def test_an_online_event_is_listed_online_and_a_hybrid_one_at_its_town(visitor, db, address, online):
    """As the site's own lists say it (events.facts.where): the venue still recorded for an event
    held only online is not where anyone goes (the factory's venue is in Metz)."""
    for title, mode in [("Webinar", "online"), ("Hybrid", "mixed"), ("Vor Ort", "in_person")]:
        EventFactory(title_de=title, title_fr=title, attendance_mode=mode, online_url="https://example.org/raum")
    assert where_of_each(html_of(visitor.get(address))) == {
        "Webinar": [online],
        "Hybrid": ["Metz"],
        "Vor Ort": ["Metz"],
    }
