"""Slugs as each language writes them (events/slugs.py): a German address spells ä, ö, ü and ß as
ae, oe, ue and ss, wherever the server makes a slug (an event saved without one); slugs already
saved never change. The admin's pre-filled slug follows the same rule in the browser
(tests/browser/test_admin_layout.py)."""

import pytest
from django.urls import reverse

from events.models import Event
from events.slugs import slug_from_title
from tests.factories import EventFactory

from .test_admin import NOW, event_form_data

pytestmark = pytest.mark.django_db

__all__ = ["NOW"]


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.mark.parametrize(
    ("title", "language", "slug"),
    [
        ("Forum Mobilität und Kultur der vier Städte", "de", "forum-mobilitaet-und-kultur-der-vier-staedte"),
        ("Größere Übergänge für Öffentliche Straßen", "de", "groessere-uebergaenge-fuer-oeffentliche-strassen"),
        # "ü" typed as u and a combining diaeresis, as some systems send it.
        ("Gru\u0308ße aus Saarbru\u0308cken", "de", "gruesse-aus-saarbruecken"),
        ("Rencontre à Metz : « Forêt et cité »", "fr", "rencontre-a-metz-foret-et-cite"),
        ("Capharnaüm ambiguë", "fr", "capharnaum-ambigue"),  # French keeps its own spelling
    ],
)
def test_a_slug_is_spelt_as_its_language_writes_it(title, language, slug):
    assert slug_from_title(title, language) == slug


def test_an_event_saved_without_slugs_gets_them_from_its_titles(admin_client):
    data = event_form_data(
        title_de="Forum Mobilität und Kultur der vier Städte",
        slug_de="",
        title_fr="Forum mobilité et culture des quatre villes",
        slug_fr="",
    )

    response = admin_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.slug_de == "forum-mobilitaet-und-kultur-der-vier-staedte"
    assert event.slug_fr == "forum-mobilite-et-culture-des-quatre-villes"


def test_a_made_slug_taken_by_another_event_gets_a_number(admin_client):
    EventFactory(slug_de="tag-der-staedte")
    data = event_form_data(title_de="Tag der Städte", slug_de="")

    assert admin_client.post(reverse("admin:events_event_add"), data).status_code == 302

    assert Event.objects.filter(slug_de="tag-der-staedte-2").exists()


def test_a_saved_slug_stays_whatever_its_spelling(admin_client):
    """Addresses published before the rule keep working: "mobilitat" is not respelt."""
    event = EventFactory(title_de="Forum Mobilität", slug_de="forum-mobilitat", slug_fr="", title_fr="")
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert 'value="forum-mobilitat"' in page.content.decode()

    event.full_clean()
    event.save()

    event.refresh_from_db()
    assert event.slug_de == "forum-mobilitat"
