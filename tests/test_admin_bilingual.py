"""The secretariat's bilingual publishing in the admin: the question before publishing an incomplete
event, the side-by-side translation page, the history with restoring (django-reversion), the
Sekretariat's rights on it, and the admin's language switch."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from events.models import Event, ProgrammeSlot, Workshop

from .factories import EventFactory, ProgrammeSlotFactory, SlotSpeakerFactory, WorkshopFactory, local
from .test_admin import NOW, event_form_data, form_values, split_datetime

pytestmark = pytest.mark.django_db

__all__ = ["NOW"]


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def conference():
    event = EventFactory(
        title_de="Digitale Verwaltung",
        title_fr="Administration numérique",
        start=local(2025, 6, 12, 9, 30),
        end=local(2025, 6, 12, 17),
        status=Event.Status.DRAFT,
    )
    talk = ProgrammeSlotFactory(event=event, start=local(2025, 6, 12, 10), title_de="Vortrag", title_fr="Exposé")
    SlotSpeakerFactory(slot=talk)
    workshops = ProgrammeSlotFactory(
        event=event, start=local(2025, 6, 12, 14), title_de="Arbeitsgruppen", title_fr="Ateliers", kind="workshops"
    )
    WorkshopFactory(slot=workshops, title_de="Offene Daten", title_fr="Données ouvertes", order=0)
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


# --- Publishing asks before going out incomplete -----------------------------------------------------


def publish(admin_client, event, **changes):
    page = admin_client.get(change_url(event))
    data = form_values(page)
    data.update(status=Event.Status.PUBLISHED, **changes)
    return admin_client.post(change_url(event), data)


def test_publishing_an_incomplete_event_asks_and_keeps_everything_typed(admin_client, conference):
    workshop = Workshop.objects.get()
    page = admin_client.get(change_url(conference))
    data = form_values(page)
    field = next(name for name, value in data.items() if value == "Données ouvertes")
    data[field] = ""  # the French workshop title, removed as the event goes out
    data["teaser_de"] = "Ein neuer Anreißer, nur auf Deutsch."
    data["teaser_fr"] = ""
    data["status"] = Event.Status.PUBLISHED

    response = admin_client.post(change_url(conference), data)

    assert response.status_code == 200, "asked, not saved"
    conference.refresh_from_db()
    assert conference.status == Event.Status.DRAFT
    assert Workshop.objects.get().title_fr == "Données ouvertes"
    html = response.content.decode()
    assert "Mit fehlenden Texten veröffentlichen?" in html
    assert 'name="publish_anyway"' in html
    assert "Arbeitsgruppe „Offene Daten“ (14:00): Titel" in html
    assert "Anreißer" in html
    # What was typed is in the form again, the programme's inlines included.
    assert "Ein neuer Anreißer, nur auf Deutsch." in html
    assert form_values(response)[field] == ""
    assert form_values(response)["status"] == Event.Status.PUBLISHED

    data["publish_anyway"] = "on"
    response = admin_client.post(change_url(conference), data)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == Event.Status.PUBLISHED
    assert conference.teaser_de == "Ein neuer Anreißer, nur auf Deutsch."
    workshop.refresh_from_db()
    assert not workshop.title_fr


def test_publishing_a_complete_event_needs_no_extra_click(admin_client, conference):
    response = publish(admin_client, conference)
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == Event.Status.PUBLISHED


def test_the_question_reads_the_programme_as_typed(admin_client, conference):
    """A missing text filled in on the same form is not asked about."""
    Workshop.objects.update(title_fr="")
    page = admin_client.get(change_url(conference))
    data = form_values(page)
    # The French title of the workshop whose German title is "Offene Daten" (the editor also has
    # blank lines to add a workshop).
    field = next(name.replace("_de", "_fr") for name, value in data.items() if value == "Offene Daten")
    data.update({field: "Données ouvertes", "status": Event.Status.PUBLISHED})
    assert admin_client.post(change_url(conference), data).status_code == 302


def test_editing_a_published_event_does_not_ask_again(admin_client, conference):
    Event.objects.filter(pk=conference.pk).update(status=Event.Status.PUBLISHED, teaser_fr="")
    assert publish(admin_client, conference).status_code == 302


def test_adding_an_event_as_published_in_one_language_asks(admin_client):
    data = event_form_data(title_fr="", slug_fr="", status=Event.Status.PUBLISHED)
    response = admin_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert response.context["publish_question"]
    response = admin_client.post(reverse("admin:events_event_add"), {**data, "publish_anyway": "on"})
    assert response.status_code == 302 and Event.objects.get().is_published


def test_scheduling_is_publishing_too(admin_client, conference):
    Event.objects.filter(pk=conference.pk).update(kicker_fr="")
    response = publish(admin_client, conference, **split_datetime("publish_at", local(2025, 6, 1, 9)))
    assert response.status_code == 200 and response.context["publish_question"]


# --- The side-by-side translation page ---------------------------------------------------------------


def translate_url(event):
    return reverse("admin:events_event_translate", args=[event.pk])


def test_the_translation_page_shows_every_text_side_by_side_in_programme_order(admin_client, conference):
    Workshop.objects.update(title_fr="")
    response = admin_client.get(translate_url(conference))

    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(text) for text in ('value="Digitale Verwaltung"', 'value="Vortrag"', 'value="Offene Daten"')]
    assert order == sorted(order), "event, then the slots in time order, each with its workshops"
    slot = ProgrammeSlot.objects.get(title_de="Vortrag")
    assert f'name="programmeslot-{slot.pk}-title_de"' in html and f'name="programmeslot-{slot.pk}-title_fr"' in html
    workshop = Workshop.objects.get()
    assert f'aria-describedby="id_workshop-{workshop.pk}-title_fr_missing"' in html
    assert "Français: 1 Text fehlt" in html
    assert 'lang="fr"' in html and "Deutsch" in html
    assert "csrfmiddlewaretoken" in html
    assert 'name="programmeslot-' in html and "start" not in [n.rsplit("-", 1)[-1] for n in form_values(response)]


def test_the_translation_page_saves_both_languages_of_a_slot_and_a_workshop(admin_client, conference):
    page = admin_client.get(translate_url(conference))
    data = form_values(page)
    slot = ProgrammeSlot.objects.get(title_de="Vortrag")
    workshop = Workshop.objects.get()
    data.update(
        {
            f"programmeslot-{slot.pk}-title_de": "Vortrag: Die Stadt als Plattform",
            f"programmeslot-{slot.pk}-title_fr": "Exposé : la ville plateforme",
            f"workshop-{workshop.pk}-description_de": "Mit offenen Daten arbeiten.",
            f"workshop-{workshop.pk}-description_fr": "Travailler avec les données ouvertes.",
        }
    )

    response = admin_client.post(translate_url(conference), data)

    assert response.status_code == 302 and response["Location"] == translate_url(conference)
    slot.refresh_from_db()
    workshop.refresh_from_db()
    assert (slot.title_de, slot.title_fr) == ("Vortrag: Die Stadt als Plattform", "Exposé : la ville plateforme")
    assert workshop.description_fr == "Travailler avec les données ouvertes."
    assert slot.start == local(2025, 6, 12, 10), "times are not the page's business"
    # One revision, by the translator, holding the event with its whole programme.
    version = Version.objects.get_for_object(conference).first()
    assert version.revision.user.username == "admin"
    assert {v.object_repr for v in version.revision.version_set.all()} >= {"Offene Daten", str(conference)}


def test_the_translation_page_shows_errors_next_to_the_field_and_keeps_the_input(admin_client, conference):
    page = admin_client.get(translate_url(conference))
    data = form_values(page)
    slot = ProgrammeSlot.objects.get(title_de="Vortrag")
    data.update(
        {
            f"programmeslot-{slot.pk}-title_de": "",
            f"programmeslot-{slot.pk}-title_fr": "",  # a slot needs a title in one language
            f"event-{conference.pk}-teaser_fr": "Un nouveau chapeau.",
            f"event-{conference.pk}-slug_fr": "calendrier",  # reserved for a page of the site
        }
    )

    response = admin_client.post(translate_url(conference), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_programmeslot-{slot.pk}-title_de_errors"' in html
    assert (
        f'id="id_programmeslot-{slot.pk}-title_de_errors">'
        "<li>Bitte geben Sie dem Programmpunkt in mindestens einer Sprache einen Titel.</li>"
    ) in html
    assert f'id="id_event-{conference.pk}-slug_fr_errors"' in html
    assert "Un nouveau chapeau.</textarea>" in html, "the input is kept"
    conference.refresh_from_db()
    slot.refresh_from_db()
    assert conference.teaser_fr != "Un nouveau chapeau.", "nothing is saved while anything is wrong"
    assert slot.title_de == "Vortrag"


def test_the_translation_page_needs_the_right_to_change_events(client, conference):
    user = get_user_model().objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(translate_url(conference)).status_code == 403
    assert client.post(translate_url(conference), {}).status_code == 403


def test_the_translation_page_refuses_a_post_without_csrf_token(conference):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    assert client.post(translate_url(conference), {}).status_code == 403


def test_an_unknown_event_is_not_a_server_error(admin_client):
    response = admin_client.get(reverse("admin:events_event_translate", args=[999]))
    assert response.status_code == 302


# --- History and undo -----------------------------------------------------------------------------


def history_url(event):
    return reverse("admin:events_event_history", args=[event.pk])


def save_as_shown(client, event, **changes):
    data = form_values(client.get(change_url(event)))
    data.update(changes)
    response = client.post(change_url(event), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def test_restoring_an_event_after_deleting_a_slot(admin_client, conference):
    save_as_shown(admin_client, conference)  # the first recorded version, with both slots
    data = form_values(admin_client.get(change_url(conference)))
    talk_prefix = next(n.removesuffix("-title_de") for n, v in data.items() if v == "Vortrag")
    data[f"{talk_prefix}-DELETE"] = "on"  # the slot's "Remove" box
    data["title_fr"] = "Administration numérique (reportée)"
    assert admin_client.post(change_url(conference), data).status_code == 302
    assert not ProgrammeSlot.objects.filter(title_de="Vortrag").exists()
    sequence = Event.objects.get(pk=conference.pk).ical_sequence

    history = admin_client.get(history_url(conference))
    html = history.content.decode()
    assert "Programmpunkt „10:00 Vortrag“ – entfernt" in html
    assert "Titel (Französisch)" in html and "(reportée)" in html
    entry = history.context["entries"][-1]  # the first version
    restore = admin_client.get(entry.restore_url)
    assert restore.status_code == 200
    assert "Vortrag" in form_values(restore).values(), "the form shows the version with its programme"
    assert ProgrammeSlot.objects.filter(title_de="Vortrag").count() == 0, "nothing changes before saving"

    response = admin_client.post(entry.restore_url, form_values(restore))

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.title_fr == "Administration numérique"
    assert [s.title_de for s in conference.slots.all()] == ["Vortrag", "Arbeitsgruppen"]
    assert conference.slots.get(title_de="Vortrag").speakers.count() == 1
    assert conference.ical_sequence >= sequence, "calendars never see an older revision number"
    assert conference.updated == NOW


def test_restoring_a_version_with_another_time_is_a_new_calendar_revision(admin_client, conference):
    save_as_shown(admin_client, conference)
    save_as_shown(admin_client, conference, **split_datetime("end", local(2025, 6, 12, 18)))
    moved = Event.objects.get(pk=conference.pk).ical_sequence
    entry = admin_client.get(history_url(conference)).context["entries"][-1]
    restore = admin_client.get(entry.restore_url)
    assert admin_client.post(entry.restore_url, form_values(restore)).status_code == 302
    conference.refresh_from_db()
    assert conference.end == local(2025, 6, 12, 17)
    assert conference.ical_sequence == moved + 1


def test_restoring_is_validated_like_any_save(admin_client, conference):
    save_as_shown(admin_client, conference)
    save_as_shown(admin_client, conference, **split_datetime("end", local(2025, 6, 12, 18)))
    entry = admin_client.get(history_url(conference)).context["entries"][-1]
    restore = admin_client.get(entry.restore_url)
    data = form_values(restore)
    data.update(split_datetime("end", local(2025, 6, 12, 8)))  # corrected wrongly on the way
    response = admin_client.post(entry.restore_url, data)
    assert response.status_code == 200
    assert "end" in response.context["adminform"].form.errors
    conference.refresh_from_db()
    assert conference.end == local(2025, 6, 12, 18), "nothing restored"


def test_a_version_the_database_refuses_is_not_restored_and_says_why(admin_client, conference):
    old_slug = conference.slug_fr
    save_as_shown(admin_client, conference)
    save_as_shown(admin_client, conference, slug_fr="administration-numerique-2025")
    EventFactory(slug_fr=old_slug)  # another event took the old address meanwhile
    entry = admin_client.get(history_url(conference)).context["entries"][-1]
    # The old version's address is taken: staff stay on the history page, with one error that
    # says which value clashes with which event, and nothing is restored.
    response = admin_client.get(entry.restore_url, follow=True)
    assert response.redirect_chain == [(history_url(conference), 302)]
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        (
            "error",
            "Diese Version kann nicht wiederhergestellt werden: ihr Feld Kurzname (URL) (Französisch) "
            f"„{old_slug}“ wird jetzt von „{Event.objects.get(slug_fr=old_slug)}“ verwendet. "
            "Geben Sie zuerst einem der beiden einen anderen Wert.",
        )
    ]
    conference.refresh_from_db()
    assert conference.slug_fr == "administration-numerique-2025"


def test_recovering_a_deleted_event_with_its_programme(admin_client, conference):
    pk = conference.pk
    response = admin_client.post(reverse("admin:events_event_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=pk).exists() and not Workshop.objects.exists()

    recover_list = admin_client.get(reverse("admin:events_event_recoverlist"))
    assert "Digitale Verwaltung" in recover_list.content.decode()
    deleted = Version.objects.get_deleted(Event).get()
    url = reverse("admin:events_event_recover", args=[deleted.pk])
    form = admin_client.get(url)
    assert form.status_code == 200 and "Offene Daten" in form_values(form).values()

    assert admin_client.post(url, form_values(form)).status_code == 302

    event = Event.objects.get(pk=pk)
    assert [s.title_fr for s in event.slots.all()] == ["Exposé", "Ateliers"]
    assert Workshop.objects.get().title_fr == "Données ouvertes"
    assert event.slots.get(title_de="Vortrag").speakers.count() == 1


def test_the_secretariat_may_view_the_history_and_restore_but_not_purge_it(secretary, conference):
    user = get_user_model().objects.get(username="sekretariat")
    assert user.has_perm("reversion.view_revision") and user.has_perm("reversion.view_version")
    assert not user.has_perm("reversion.delete_revision") and not user.has_perm("reversion.delete_version")
    save_as_shown(secretary, conference, title_fr="Administration numérique 2025")
    save_as_shown(secretary, conference, title_fr="Administration numérique 2026")
    history = secretary.get(history_url(conference))
    assert history.status_code == 200
    assert "sekretariat" in history.content.decode()
    # The newest save is what the event is; the one before it can be restored, by them.
    entries = history.context["entries"]
    assert [bool(entry.restore_url) for entry in entries] == [False, True]
    assert secretary.get(entries[-1].restore_url).status_code == 200
    assert secretary.get(reverse("admin:events_event_recoverlist")).status_code == 200
    # The translation page is theirs too; its saves appear in the history.
    assert secretary.get(translate_url(conference)).status_code == 200


def test_people_and_venues_keep_their_history(admin_client, conference):
    person = conference.slots.get(title_de="Vortrag").speakers.get()
    url = reverse("admin:events_person_change", args=[person.pk])
    for role in ("Forscherin", "Professorin"):
        data = form_values(admin_client.get(url))
        data["role_de"] = role
        assert admin_client.post(url, data).status_code == 302
    html = admin_client.get(reverse("admin:events_person_history", args=[person.pk])).content.decode()
    assert "Funktion (Deutsch)" in html and "<ins>Professorin</ins>" in html


# --- The admin in the staff member's language ---------------------------------------------------------


def test_the_language_switch_keeps_the_staff_member_on_the_same_page(admin_client, conference):
    page = change_url(conference) + "?_changelist_filters=status__exact%3Ddraft"
    html = admin_client.get(page).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="fr"' in html and 'name="next"' in html

    response = admin_client.post(reverse("set_language"), {"language": "fr", "next": page})

    assert response.status_code == 302 and response["Location"] == page
    french = admin_client.get(page)
    assert '<html lang="fr"' in french.content.decode()
    assert "Enregistrer" in french.content.decode()
    assert admin_client.post(reverse("set_language"), {"language": "de", "next": page})["Location"] == page
    assert '<html lang="de"' in admin_client.get(page).content.decode()


def test_previewing_the_other_language_does_not_switch_the_admin(admin_client, conference):
    admin_client.post(reverse("set_language"), {"language": "de", "next": "/admin/"})
    admin_client.get(conference.get_absolute_url("fr"))
    assert '<html lang="de"' in admin_client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["Markierte %s auswählen", "%s: alle auswählen", "Markierte %s entfernen", "%s: alle entfernen"]),
        ("fr", ["Choisir toutes les valeurs", "Enlever les valeurs"]),
    ],
)
def test_the_city_pickers_texts_are_translated(admin_client, language, texts):
    import json
    import re

    admin_client.cookies["django_language"] = language
    source = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", source, re.S).group(1))
    for msgid in ("Choose selected %s", "Choose all %s", "Remove selected %s", "Remove all %s"):
        assert catalog.get(msgid), f"{msgid!r} untranslated in {language}"
    joined = json.dumps(catalog, ensure_ascii=False)
    assert any(text in joined for text in texts)


def test_the_admin_names_the_tabs_after_the_languages(admin_client):
    html = admin_client.get(reverse("admin:events_event_add")).content.decode()
    assert "/static/js/admin-languages.js" in html
    assert "&quot;fr&quot;: &quot;Fran\\u00e7ais&quot;" in html and "&quot;de&quot;: &quot;Deutsch&quot;" in html


def test_the_translation_page_query_count_does_not_grow_with_the_programme(admin_client):
    def count(event):
        url = translate_url(event)
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    small = EventFactory(start=local(2025, 6, 12, 9), end=local(2025, 6, 12, 18))
    WorkshopFactory(slot=ProgrammeSlotFactory(event=small, start=local(2025, 6, 12, 10)))
    large = EventFactory(start=local(2025, 6, 13, 9), end=local(2025, 6, 13, 18))
    for hour in range(10, 16):
        slot = ProgrammeSlotFactory(event=large, start=local(2025, 6, 13, hour))
        WorkshopFactory(slot=slot)
        SlotSpeakerFactory(slot=slot)
    SlotSpeakerFactory(slot=small.slots.get())
    assert count(large) == count(small)
