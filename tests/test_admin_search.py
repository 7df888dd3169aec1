"""The admin's searches (events/admin/search.py): the events list and people ignore accents, case
and how umlauts are typed, in both languages at once; the programme editor's speaker choice
searches people as you type (Django's autocomplete), for a Sekretariat account, with a select that
holds the chosen person only — not a dropdown of everyone."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Value
from django.urls import reverse

from events.folding import Folded, comparable
from events.models import Event, SlotSpeaker
from search import demo as search_places

from .factories import EventFactory, PersonFactory, ProgrammeSlotFactory, SlotSpeakerFactory, VenueFactory
from .helpers import html_of
from .test_admin import form_values

pytestmark = [pytest.mark.django_db, pytest.mark.engines]


@pytest.mark.parametrize(
    ("typed", "text"),
    [("treves", "Trèves"), ("TRÈVES", "trèves"), ("saarbrucken", "Saarbrücken"), ("Saarbruecken", "SAARBRÜCKEN"),
     ("strasse", "Straße"), ("coeur", "Cœur"), ("muller", "Müller")],
)  # fmt: skip
def test_words_and_texts_fold_alike(typed, text):
    assert comparable(typed) == comparable(text)


@pytest.mark.parametrize("text", ["Trèves", "SAARBRÜCKEN", "Saarbruecken", "Straße", "Cœur", "Lëtzebuerg", "ÇA Ÿ"])
def test_the_database_folds_as_python_does(text):
    """The admin's field searches fold the texts in the database (``Folded``), the words in Python."""
    EventFactory()
    assert Event.objects.annotate(folded=Folded(Value(text))).values_list("folded", flat=True)[0] == comparable(text)


def listed_titles(response):
    """The events (or people) the admin's change list shows, by their link text."""
    assert response.status_code == 200
    return re.findall(r'<th class="field-[a-z_]+"><a href="[^"]+">([^<]+)</a>', html_of(response))


@pytest.fixture
def events():
    return {
        "trier": EventFactory(title_de="Nachbarschaftsfest in Trier", title_fr="Fête des voisins à Trèves"),
        "saarbruecken": EventFactory(title_de="Stadtgespräch Saarbrücken", title_fr="Débat à Sarrebruck"),
        "metz": EventFactory(
            title_de="Kulturabend",
            title_fr="Soirée culturelle",
            venue=VenueFactory(locality_de="Luxemburg", locality_fr="Luxembourg"),
        ),
    }


class TestEventSearch:
    def search(self, secretary, words):
        return listed_titles(secretary.get(reverse("admin:events_event_changelist"), {"q": words}))

    def test_without_accents_across_both_languages(self, secretary, events):
        # The German admin lists German titles; "treves" is found in the French one.
        assert self.search(secretary, "treves") == ["Nachbarschaftsfest in Trier"]
        assert self.search(secretary, "TRÈVES") == ["Nachbarschaftsfest in Trier"]
        assert self.search(secretary, "saarbrucken") == ["Stadtgespräch Saarbrücken"]
        assert self.search(secretary, "Saarbruecken") == ["Stadtgespräch Saarbrücken"]
        assert self.search(secretary, "sarrebruck") == ["Stadtgespräch Saarbrücken"]

    def test_every_word_must_be_found(self, secretary, events):
        assert self.search(secretary, "fete treves") == ["Nachbarschaftsfest in Trier"]
        assert self.search(secretary, "fete luxembourg") == []

    def test_the_venue_s_locality(self, secretary, events):
        assert self.search(secretary, "luxemburg") == ["Kulturabend"]
        assert self.search(secretary, "luxembourg") == ["Kulturabend"]

    def test_the_public_search_s_matching_place_names_and_programme(self, secretary, events):
        """The events list searches as the public search does (search/admin.py): the other names
        of a place, the programme and the speakers."""
        search_places.load()
        stadtfest = EventFactory(
            title_de="Stadtfest",
            title_fr="Fête de la ville",
            venue=VenueFactory(locality_de="Trier", locality_fr="Trier"),
        )
        slot = ProgrammeSlotFactory(event=stadtfest, title_de="Zuwanderung heute", title_fr="L'immigration aujourd'hui")
        SlotSpeakerFactory(slot=slot, person=PersonFactory(name="Jules Ferry"))
        assert sorted(self.search(secretary, "Trèves")) == ["Nachbarschaftsfest in Trier", "Stadtfest"]
        assert self.search(secretary, "zuwanderung") == ["Stadtfest"]
        assert self.search(secretary, "ferry") == ["Stadtfest"]
        assert self.search(secretary, "ferry sarrebruck") == []

    def test_an_empty_search_lists_everything(self, secretary, events):
        assert len(self.search(secretary, "  ")) == 3


class TestSpeakerChoice:
    @pytest.fixture
    def event(self):
        event = EventFactory()
        slot = ProgrammeSlotFactory(event=event, title_de="Eröffnung")
        SlotSpeakerFactory(slot=slot, person=PersonFactory(name="Anna Müller"))
        PersonFactory.create_batch(30)
        return event

    def test_the_select_holds_the_chosen_person_and_searches_as_you_type(self, secretary, event):
        html = html_of(secretary.get(reverse("admin:events_event_change", args=[event.pk])))
        select = re.search(r'<select name="slots-0-speakers-0-person"([^>]*)>(.*?)</select>', html, re.S)
        attributes, options = select.groups()
        assert "admin-autocomplete" in attributes
        assert f'data-ajax--url="{reverse("admin:autocomplete")}"' in attributes
        assert 'data-model-name="slotspeaker"' in attributes and 'data-field-name="person"' in attributes
        assert re.findall(r"<option[^>]*>([^<]*)</option>", options) == ["---------", "Anna Müller"]
        assert "admin/js/autocomplete.js" in html and "select2" in html
        # The blank line to add a speaker, which works without JavaScript too, offers everyone.
        blank = re.search(r'<select name="slots-0-speakers-1-person"[^>]*>(.*?)</select>', html, re.S).group(1)
        assert len(re.findall(r"<option[^>]*>([^<]*)</option>", blank)) == 1 + 31

    def test_the_sekretariat_finds_people_without_accents(self, secretary, event):
        response = secretary.get(
            reverse("admin:autocomplete"),
            {"term": "muller", "app_label": "events", "model_name": "slotspeaker", "field_name": "person"},
        )
        assert response.status_code == 200
        assert [result["text"] for result in json.loads(response.content)["results"]] == ["Anna Müller"]

    def test_staff_who_may_not_see_people_find_nobody(self, client, event):
        user = get_user_model().objects.create_user("guest", password="a-long-test-password", is_staff=True)
        client.force_login(user)
        response = client.get(
            reverse("admin:autocomplete"),
            {"term": "muller", "app_label": "events", "model_name": "slotspeaker", "field_name": "person"},
        )
        assert response.status_code == 403

    def test_a_person_found_by_searching_is_saved(self, secretary, event):
        other = PersonFactory(name="Vincent Ferry")
        url = reverse("admin:events_event_change", args=[event.pk])
        html = html_of(secretary.get(url))
        data = form_values(secretary.get(url))
        chosen = re.search(r'<select name="slots-0-speakers-0-person"[^>]*>(.*?)</select>', html, re.S).group(1)
        assert str(other.pk) not in re.findall(r'<option value="(\d+)"', chosen)
        data["slots-0-speakers-0-person"] = str(other.pk)  # the search's answer, as select2 sends it
        response = secretary.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert [link.person.name for link in SlotSpeaker.objects.filter(slot__event=event)] == ["Vincent Ferry"]

    def test_an_unknown_person_is_a_form_error(self, secretary, event):
        url = reverse("admin:events_event_change", args=[event.pk])
        data = form_values(secretary.get(url))
        data["slots-0-speakers-0-person"] = "999999"
        response = secretary.post(url, data)
        assert response.status_code == 200
        assert "Bitte eine gültige Auswahl treffen." in html_of(response)
