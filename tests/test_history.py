"""The history (events/history.py, events/admin/history.py) as the secretariat reads it: what a save
changed is recorded as data when it happens — from the database as it was just before — and written
out when the history is shown, in the reader's language; form boxes that are not data ("publish
anyway") are never changes; a field has one label per language; entries written as sentences before
still show; restoring keeps working and is recorded the same way. Used with a Sekretariat account."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation
from reversion import add_to_revision, create_revision, set_comment
from reversion.models import Version

from events.models import Event, Person, ProgrammeSlot

from .factories import PersonFactory
from .test_admin import form_values
from .test_admin_bilingual import conference

__all__ = ["conference"]  # the event of test_admin_bilingual: a talk with a speaker, workshops

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_speaker_is_named(conference):
    conference.slots.get(title_de="Vortrag").speakers.update(name="Vincent Ferry")


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def history_url(event):
    return reverse("admin:events_event_history", args=[event.pk])


def in_admin_language(client, language):
    client.cookies["django_language"] = language


def save_as_shown(client, event, edit=lambda data: None, **changes):
    data = form_values(client.get(change_url(event)))
    data.update(changes)
    edit(data)
    response = client.post(change_url(event), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    client.get(response["Location"])  # where the message "… was changed" is shown, in the saver's language
    return response


def talk_prefix(data):
    return next(name.removesuffix("-title_de") for name, value in data.items() if value == "Vortrag")


def latest(client, event, language):
    in_admin_language(client, language)
    response = client.get(history_url(event))
    assert response.status_code == 200
    return response, response.context["entries"][0]


def french(text):
    """French as typeset: a no-break space before the colon and inside the guillemets."""
    return text.replace(" :", "\u00a0:").replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def fields(change):
    return [(field.label, field.before, field.after) for field in change.fields]


def test_a_save_in_the_german_admin_reads_in_french_in_the_french_admin(secretary, conference):
    in_admin_language(secretary, "de")

    def edit(data):
        talk = talk_prefix(data)
        data[f"{talk}-title_fr"] = "Exposé d’ouverture"
        data[f"{talk}-speakers-0-DELETE"] = "on"  # Vincent Ferry no longer speaks

    # Publishing, with the "publish anyway" box ticked: a box of the form, not a field of the event.
    save_as_shown(secretary, conference, edit, title_fr="Administration numérique 2025", status="published")
    assert Event.objects.get(pk=conference.pk).status == "published"
    save_as_shown(secretary, conference, publish_anyway="on", title_de="Digitale Verwaltung 2025")

    response, entry = latest(secretary, conference, "fr")
    html = response.content.decode()
    assert entry.summary == [french("Modifié : Titre (allemand).")]
    earlier = response.context["entries"][1]
    assert earlier.summary == [
        french("Modifié : Titre (français) et Statut."),
        french("Point du programme « 10:00 Exposé d’ouverture » – modifié : Titre (français)."),
        french("Supprimé : Intervenant « Vincent Ferry » dans « 10:00 Exposé »."),
    ]
    own, slot, speaker = earlier.changes
    assert fields(own) == [
        ("Titre (français)", "Administration numérique", "Administration numérique 2025"),
        ("Statut", "Brouillon", "Publié"),
    ]
    assert (slot.label, slot.action) == (french("Point du programme « 10:00 Exposé d’ouverture »"), "changed")
    assert fields(slot) == [("Titre (français)", "Exposé", "Exposé d’ouverture")]
    assert (speaker.label, speaker.action) == (french("Intervenant « Vincent Ferry » dans « 10:00 Exposé »"), "removed")
    for german in ("geändert", "Programmpunkt", "Vortrag", "Titel", "Französisch", "(Deutsch)", "ersetzt"):
        assert german not in html, german
    assert "quand même" not in html, "the publish anyway box is no change"

    # The same entries in the German admin, in German.
    response, entry = latest(secretary, conference, "de")
    assert entry.summary == ["Geändert: Titel (Deutsch)."]
    assert response.context["entries"][1].summary == [
        "Geändert: Titel (Französisch) und Status.",
        "Programmpunkt „10:00 Vortrag“ – geändert: Titel (Französisch).",
        "Entfernt: Redner „Vincent Ferry“ in „10:00 Vortrag“.",
    ]


def test_a_slot_whose_speakers_changed_is_no_change_without_a_field(secretary, conference):
    """Adding a speaker changes the programme, not the slot's own fields: no sentence without a
    field name ("Modification de pour l'objet point du programme")."""
    other = PersonFactory(name="Sylvie Bortot")

    def edit(data):
        talk = talk_prefix(data)
        data.update({f"{talk}-speakers-TOTAL_FORMS": "2", f"{talk}-speakers-1-person": str(other.pk)})
        data[f"{talk}-speakers-1-order"] = "1"

    in_admin_language(secretary, "fr")
    save_as_shown(secretary, conference, edit)

    _response, entry = latest(secretary, conference, "fr")
    assert entry.summary == [french("Ajouté : Intervenant « Sylvie Bortot » dans « 10:00 Exposé ».")]
    assert [(change.label, change.action) for change in entry.changes] == [
        (french("Intervenant « Sylvie Bortot » dans « 10:00 Exposé »"), "added")
    ]


def test_a_text_sent_back_unchanged_by_a_browser_is_no_change(secretary, conference):
    """A browser sends a text box's lines as CRLF: the description saved as shown changed nothing."""
    Event.objects.filter(pk=conference.pk).update(description_de="Erste Zeile.\n\nZweite Zeile.")

    def as_a_browser_sends_it(data):
        data["description_de"] = data["description_de"].replace("\r\n", "\n").replace("\n", "\r\n")

    save_as_shown(secretary, conference, as_a_browser_sends_it)
    save_as_shown(secretary, conference, as_a_browser_sends_it, title_fr="Administration numérique 2025")

    response, entry = latest(secretary, conference, "fr")
    assert [fields(change) for change in entry.changes] == [
        [("Titre (français)", "Administration numérique", "Administration numérique 2025")]
    ]
    assert response.context["entries"][1].summary == ["Enregistré sans modification."]
    assert response.content.decode().count("sans modification") == 1, "said once"


def test_the_before_column_is_what_the_database_held_before_the_save(secretary, conference):
    save_as_shown(secretary, conference)
    # Changed outside the admin since (as `load_demo` resets the demo's texts): no version knows it.
    Event.objects.filter(pk=conference.pk).update(title_fr="Administration numérique (démo)")
    ProgrammeSlot.objects.filter(title_de="Vortrag").update(title_fr="Exposé (démo)")

    save_as_shown(secretary, conference, title_fr="Administration numérique 2025")

    _response, entry = latest(secretary, conference, "fr")
    assert [fields(change) for change in entry.changes] == [
        [("Titre (français)", "Administration numérique (démo)", "Administration numérique 2025")]
    ], "the slot was not changed by this save, and the title's before is what the database held"


def test_a_field_has_one_label_in_each_language(secretary, conference):
    in_admin_language(secretary, "fr")
    html = secretary.get(change_url(conference)).content.decode()
    assert ">Titre (allemand)</label>" in html and ">Titre (français)</label>" in html
    assert "(Deutsch)</label>" not in html and "(Français)</label>" not in html

    save_as_shown(secretary, conference, edit=lambda data: data.update({f"{talk_prefix(data)}-title_de": "Rede"}))

    _response, entry = latest(secretary, conference, "fr")
    assert [field.label for change in entry.changes for field in change.fields] == ["Titre (allemand)"]
    in_admin_language(secretary, "de")
    assert ">Titel (Deutsch)</label>" in secretary.get(change_url(conference)).content.decode()
    _response, entry = latest(secretary, conference, "de")
    assert [field.label for change in entry.changes for field in change.fields] == ["Titel (Deutsch)"]


def test_djangos_own_readers_read_the_record_in_the_readers_language(secretary, conference):
    in_admin_language(secretary, "de")
    save_as_shown(secretary, conference, title_fr="Administration numérique 2025", publish_anyway="on")
    entry = LogEntry.objects.get(object_id=str(conference.pk))
    revision = Version.objects.get_for_object(conference).first().revision
    with translation.override("fr"):
        assert entry.get_change_message() == revision.get_comment() == "Modification de titre."
    with translation.override("de"):
        assert entry.get_change_message() == "Titel geändert."


def test_entries_written_as_sentences_before_still_show(secretary, conference):
    """Revisions whose comment is a sentence (saved before changes were recorded as data) show the
    sentence as written, and the differences to the version before, as before."""
    with create_revision():
        set_comment("Das Programm wurde durch das eingefügte ersetzt: 2 Programmpunkte.")
        add_to_revision(conference)
    Event.objects.filter(pk=conference.pk).update(title_fr="Administration numérique 2025")
    with create_revision():
        set_comment("Titel (Französisch) geändert.")
        add_to_revision(Event.objects.get(pk=conference.pk))

    response, entry = latest(secretary, conference, "fr")

    assert entry.summary == ["Titel (Französisch) geändert."]
    assert [fields(change) for change in entry.changes] == [
        [("Titre (français)", "Administration numérique", "Administration numérique 2025")]
    ]
    first = response.context["entries"][1]
    assert first.summary == ["Das Programm wurde durch das eingefügte ersetzt: 2 Programmpunkte."]
    assert first.is_first and "Première version enregistrée." in response.content.decode()


def test_restoring_is_recorded_against_what_the_database_held(secretary, conference):
    in_admin_language(secretary, "de")
    save_as_shown(secretary, conference)
    save_as_shown(secretary, conference, title_fr="Administration numérique 2025")
    Event.objects.filter(pk=conference.pk).update(title_fr="Administration numérique (démo)")
    history = secretary.get(history_url(conference))
    first = history.context["entries"][-1]
    in_admin_language(secretary, "fr")
    restore = secretary.get(first.restore_url)
    assert restore.status_code == 200
    title = french("Rétablir une version antérieure de « Administration numérique »")
    assert f"<h1>{title}</h1>" in restore.content.decode(), "named in the reader's language"

    assert secretary.post(first.restore_url, form_values(restore)).status_code == 302

    assert Event.objects.get(pk=conference.pk).title_fr == "Administration numérique"
    _response, entry = latest(secretary, conference, "fr")
    assert len(entry.summary) == 1 and entry.summary[0].startswith("Version du ")
    assert entry.summary[0].endswith(" rétablie.")
    assert [fields(change) for change in entry.changes] == [
        [("Titre (français)", "Administration numérique (démo)", "Administration numérique")]
    ]


def test_the_translation_pages_saves_read_in_the_readers_language(secretary, conference):
    """Texts translated side by side, a person's among them (people are shared by events)."""
    url = reverse("admin:events_event_translate", args=[conference.pk])
    in_admin_language(secretary, "de")
    data = form_values(secretary.get(url))
    person = Person.objects.get(name="Vincent Ferry")
    workshop = conference.slots.get(title_de="Arbeitsgruppen").workshops.get()
    data[f"workshop-{workshop.pk}-title_fr"] = "Données ouvertes et villes"
    data[f"person-{person.pk}-role_fr"] = "Historien"
    assert secretary.post(url, data).status_code == 302
    secretary.get(url)  # the message "saved", in German

    _response, entry = latest(secretary, conference, "fr")

    assert entry.summary == ["Textes de 2 objets traduits côte à côte."]
    assert [(change.label, fields(change)) for change in entry.changes] == [
        (french("Personne « Vincent Ferry »"), [("Fonction (français)", "Chercheuse", "Historien")]),
        (
            french("Atelier « Données ouvertes et villes » dans « 14:00 Ateliers »"),
            [("Titre (français)", "Données ouvertes", "Données ouvertes et villes")],
        ),
    ]
