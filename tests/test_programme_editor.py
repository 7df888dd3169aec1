"""The compact programme editor on the event's change form (events/programme/editor_forms.py,
events/admin/programme.py): times as staff write them, a day chosen among the event's days (none
on a one-day event), rows in time order after saving, errors next to their field with everything
typed kept, the completeness panel's links to the editor's fields, removing and ordering lines,
the history, and a page whose query count does not grow with the programme."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from events.models import Event, Person, ProgrammeSlot, SlotSpeaker, Workshop
from events.programme.editor_forms import protected_error

from .factories import (
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    SlotSpeakerFactory,
    WorkshopFactory,
    conference_2017,
    local,
)
from .test_admin import NOW, form_values, management_form, programme_slot, split_datetime

pytestmark = pytest.mark.django_db

__all__ = ["NOW"]


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def event():
    """A one-day event (22 November 2017, 9:30 to 17:00 in Metz) with two slots."""
    event = conference_2017(status=Event.Status.DRAFT)
    ProgrammeSlotFactory(event=event, start=local(2017, 11, 22, 9, 30), title_de="Empfang", title_fr="Accueil")
    talk = ProgrammeSlotFactory(event=event, start=local(2017, 11, 22, 10, 15), title_de="Vortrag", title_fr="Exposé")
    SlotSpeakerFactory(slot=talk, person=PersonFactory(name="Vincent Ferry"))
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def shown(client, event):
    response = client.get(change_url(event))
    assert response.status_code == 200
    return response


def post(client, event, data):
    return client.post(change_url(event), data)


def slot_forms(response):
    return response.context["inline_admin_formsets"][0].formset.forms


# --- Times as people write them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9h30", (9, 30)),
        ("10h", (10, 0)),
        ("09:30", (9, 30)),
        ("9.30", (9, 30)),
        ("9:30 Uhr", (9, 30)),
        ("10 Uhr", (10, 0)),
        ("17H", (17, 0)),
    ],
)
def test_times_are_typed_as_people_write_them_and_shown_without_seconds(admin_client, event, typed, expected):
    data = form_values(shown(admin_client, event))
    data["slots-0-start"] = typed
    response = post(admin_client, event, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    slot = ProgrammeSlot.objects.get(title_de="Empfang")
    assert slot.start == local(2017, 11, 22, *expected)
    values = form_values(shown(admin_client, event))
    shown_time = next(
        values[n] for n in values if n.endswith("-start") and values[n.replace("start", "title_de")] == "Empfang"
    )
    assert shown_time == f"{expected[0]:02d}:{expected[1]:02d}", "the canonical form, no seconds"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9h75", "„9h75“ ist keine Uhrzeit: Die Minuten müssen zwischen 00 und 59 liegen."),
        ("Mittag", "„Mittag“ ist keine Uhrzeit"),
        ("", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_an_unreadable_time_is_named_next_to_its_field_and_the_input_is_kept(admin_client, event, typed, message):
    data = form_values(shown(admin_client, event))
    data.update({"slots-0-start": typed, "slots-0-title_fr": "Accueil des participants", "slots-1-kind": "discussion"})

    response = post(admin_client, event, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # Next to its field: the error list is the field's description.
    assert 'id="id_slots-0-start_errors"' in html
    assert 'aria-describedby="id_slots-0-start_errors"' in html and 'aria-invalid="true"' in html
    kept = form_values(response)
    assert kept["slots-0-start"] == typed and kept["slots-0-title_fr"] == "Accueil des participants"
    assert kept["slots-1-kind"] == "discussion"
    assert ProgrammeSlot.objects.get(title_de="Empfang").title_fr == "Accueil", "nothing saved"
    assert 'class="errornote"' in html, "the page says at the top that something is wrong"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("8:00", "", "start", "Die Veranstaltung beginnt um 09:30; der Programmpunkt kann nicht früher beginnen."),
        ("17:30", "", "start", "Die Veranstaltung endet um 17:00; der Programmpunkt kann nicht später beginnen."),
        ("16:00", "18:00", "end", "Die Veranstaltung endet um 17:00; der Programmpunkt kann nicht später enden."),
        ("11:00", "10:00", "end", "Das Ende muss nach dem Beginn liegen."),
    ],
)
def test_a_slot_outside_the_events_hours_is_an_error_next_to_it(admin_client, event, start, end, field, message):
    data = form_values(shown(admin_client, event))
    data.update({"slots-1-start": start, "slots-1-end": end})

    response = post(admin_client, event, data)

    assert response.status_code == 200
    form = slot_forms(response)[1]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert f'id="id_slots-1-{field}_errors"' in response.content.decode()


# --- The day: chosen among the event's, none to type on a one-day event --------------------------


def test_a_one_day_event_has_no_day_to_choose_and_its_programme_follows_its_date(admin_client, event):
    response = shown(admin_client, event)
    assert "slots-0-day" not in form_values(response)
    assert 'name="slots-0-start_0"' not in response.content.decode(), "no date to type"

    # The event moves to the next day: its slots go with it.
    data = form_values(response)
    data.update(**split_datetime("start", local(2017, 11, 23, 9, 30)), **split_datetime("end", local(2017, 11, 23, 17)))
    assert post(admin_client, event, data).status_code == 302
    assert [slot.start for slot in event.slots.all()] == [local(2017, 11, 23, 9, 30), local(2017, 11, 23, 10, 15)]


@pytest.fixture
def two_days():
    event = EventFactory(start=local(2026, 3, 5, 18), end=local(2026, 3, 6, 13), status=Event.Status.DRAFT)
    ProgrammeSlotFactory(event=event, start=local(2026, 3, 5, 18), title_de="Empfang")
    return event


def test_an_event_of_several_days_offers_its_days(admin_client, two_days):
    response = shown(admin_client, two_days)
    html = response.content.decode()
    assert '<option value="2026-03-05" selected>Donnerstag, 05.03.2026</option>' in html
    assert '<option value="2026-03-06">Freitag, 06.03.2026</option>' in html
    data = form_values(response)
    assert data["slots-0-day"] == "2026-03-05"
    data.update(programme_slot(1, "9h", "Frühstück", "Petit-déjeuner", kind="meal", day="2026-03-06"))
    data["slots-TOTAL_FORMS"] = "2"

    assert post(admin_client, two_days, data).status_code == 302

    assert two_days.slots.get(title_de="Frühstück").start == local(2026, 3, 6, 9)
    assert form_values(shown(admin_client, two_days))["slots-2-day"] == "2026-03-06", "a new row: the last day used"


def test_a_day_the_event_no_longer_has_is_named(admin_client, two_days):
    Event.objects.filter(pk=two_days.pk).update(start=local(2026, 3, 6, 9), end=local(2026, 3, 7, 13))

    response = post(admin_client, two_days, form_values(shown(admin_client, two_days)))

    assert response.status_code == 200
    assert slot_forms(response)[0].errors["day"] == ["Wählen Sie einen der Tage der Veranstaltung."]
    assert "2026-03-05 (kein Tag der Veranstaltung)" in response.content.decode()


@pytest.fixture
def two_full_days():
    """5 and 6 March 2026, 9:00 to 17:00 the next day, a slot on each day."""
    event = EventFactory(start=local(2026, 3, 5, 9), end=local(2026, 3, 6, 17), status=Event.Status.DRAFT)
    ProgrammeSlotFactory(event=event, start=local(2026, 3, 5, 10), title_de="Eröffnung", title_fr="Ouverture")
    ProgrammeSlotFactory(event=event, start=local(2026, 3, 6, 15), title_de="Abschluss", title_fr="Clôture")
    return event


def programme_starts(event):
    return {slot.title_de: slot.start for slot in event.slots.all()}


@pytest.mark.parametrize(
    ("closing_day", "closing"),
    [
        (None, local(2026, 3, 13, 15)),  # left on its day: the second day of the new dates
        ("2026-03-12", local(2026, 3, 12, 15)),  # given another day in the same save: that day
    ],
)
def test_an_event_of_several_days_moved_a_week_later_takes_its_programme_along(
    admin_client, two_full_days, closing_day, closing
):
    data = form_values(shown(admin_client, two_full_days))
    assert (data["slots-0-day"], data["slots-1-day"]) == ("2026-03-05", "2026-03-06")
    data.update(**split_datetime("start", local(2026, 3, 12, 9)), **split_datetime("end", local(2026, 3, 13, 17)))
    if closing_day:
        data["slots-1-day"] = closing_day

    assert post(admin_client, two_full_days, data).status_code == 302

    assert programme_starts(two_full_days) == {"Eröffnung": local(2026, 3, 12, 10), "Abschluss": closing}


def test_an_event_given_an_evening_before_keeps_its_rows_on_their_days(admin_client, two_full_days):
    data = form_values(shown(admin_client, two_full_days))
    data.update(**split_datetime("start", local(2026, 3, 4, 18)))

    assert post(admin_client, two_full_days, data).status_code == 302

    assert programme_starts(two_full_days) == {
        "Eröffnung": local(2026, 3, 5, 10),
        "Abschluss": local(2026, 3, 6, 15),
    }


def test_a_one_day_event_made_two_days_long_keeps_its_programme_on_its_day(admin_client, event):
    data = form_values(shown(admin_client, event))
    assert "slots-0-day" not in data
    data.update(**split_datetime("end", local(2017, 11, 23, 13)))

    response = post(admin_client, event, data)

    assert response.status_code == 302
    assert [slot.start for slot in event.slots.all()] == [local(2017, 11, 22, 9, 30), local(2017, 11, 22, 10, 15)]
    assert [form_values(shown(admin_client, event))[f"slots-{n}-day"] for n in range(2)] == ["2017-11-22"] * 2


def test_a_day_that_is_not_offered_is_refused(admin_client, two_days):
    data = form_values(shown(admin_client, two_days))
    data["slots-0-day"] = "2026-03-09"
    response = post(admin_client, two_days, data)
    assert response.status_code == 200 and "day" in slot_forms(response)[0].errors


# --- Saving: time order, nothing changed by a form sent back as shown -----------------------------


def test_rows_are_in_time_order_after_saving(admin_client, event):
    data = form_values(shown(admin_client, event))
    data.update(programme_slot(2, "9h45", "Grußwort", "Mot d'accueil", kind="opening"))
    data["slots-TOTAL_FORMS"] = "3"
    data["slots-0-start"] = "12h"  # Empfang moves after the talk

    response = post(admin_client, event, data)

    assert response.status_code == 302
    values = form_values(shown(admin_client, event))
    assert [values[f"slots-{n}-title_de"] for n in range(3)] == ["Grußwort", "Vortrag", "Empfang"]
    assert [values[f"slots-{n}-start"] for n in range(3)] == ["09:45", "10:15", "12:00"]


def test_a_form_sent_back_as_shown_changes_nothing(admin_client, event):
    before = list(ProgrammeSlot.objects.values())
    response = post(admin_client, event, form_values(shown(admin_client, event)))
    assert response.status_code == 302
    assert list(ProgrammeSlot.objects.values()) == before
    assert Workshop.objects.count() == 0 and SlotSpeaker.objects.count() == 1, "blank lines add nothing"


def test_a_title_is_one_line(admin_client, event):
    data = form_values(shown(admin_client, event))
    data["slots-0-title_fr"] = "Accueil\r\n des   participants "
    assert post(admin_client, event, data).status_code == 302
    assert ProgrammeSlot.objects.get(title_de="Empfang").title_fr == "Accueil des participants"


def test_a_slot_needs_a_title_in_one_language(admin_client, event):
    data = form_values(shown(admin_client, event))
    data.update({"slots-1-title_de": "", "slots-1-title_fr": ""})
    response = post(admin_client, event, data)
    assert response.status_code == 200
    assert slot_forms(response)[1].errors["title_de"] == [
        "Bitte geben Sie dem Programmpunkt in mindestens einer Sprache einen Titel."
    ]


# --- Speakers and workshops: lines under their slot ----------------------------------------------


def test_speakers_and_workshops_are_added_removed_and_ordered(admin_client, event):
    talk = ProgrammeSlot.objects.get(title_de="Vortrag")
    other = PersonFactory(name="Madeleine Kayser")
    data = form_values(shown(admin_client, event))
    # The blank lines under the talk: a second speaker, and two workshops given in reverse order.
    data.update({"slots-1-speakers-1-person": str(other.pk)})
    data.update(
        {
            "slots-1-workshops-0-title_de": "Bildung",
            "slots-1-workshops-0-title_fr": "Éducation",
            "slots-1-workshops-0-order": "1",
            "slots-1-workshops-1-title_de": "Beschäftigung",
            "slots-1-workshops-1-title_fr": "Emploi",
            "slots-1-workshops-1-order": "0",
            **management_form("slots-1-workshops", 2),
        }
    )
    assert post(admin_client, event, data).status_code == 302
    assert [w.title_de for w in talk.workshops.all()] == ["Beschäftigung", "Bildung"]
    assert [p.name for p in talk.speakers.order_by("slotspeaker__order", "slotspeaker__id")] == [
        "Vincent Ferry",
        "Madeleine Kayser",
    ]

    # Vincent Ferry is removed; the workshops swap places.
    data = form_values(shown(admin_client, event))
    assert data["slots-1-speakers-0-person"] == str(Person.objects.get(name="Vincent Ferry").pk)
    data["slots-1-speakers-0-DELETE"] = "on"
    data.update({"slots-1-workshops-0-order": "5", "slots-1-workshops-1-order": "2"})
    assert post(admin_client, event, data).status_code == 302
    assert [link.person.name for link in SlotSpeaker.objects.filter(slot=talk)] == ["Madeleine Kayser"]
    assert [w.title_de for w in talk.workshops.all()] == ["Bildung", "Beschäftigung"]
    assert Person.objects.filter(name="Vincent Ferry").exists(), "people stay: other events may name them"


def test_a_slot_is_removed_with_its_lines(admin_client, event):
    data = form_values(shown(admin_client, event))
    data["slots-1-DELETE"] = "on"
    assert post(admin_client, event, data).status_code == 302
    assert list(event.slots.values_list("title_de", flat=True)) == ["Empfang"]
    assert not SlotSpeaker.objects.exists()


def test_a_line_with_only_its_place_set_is_no_line(admin_client, event):
    data = form_values(shown(admin_client, event))
    data.update({**management_form("slots-0-workshops", 2), "slots-0-workshops-1-order": "7"})
    assert post(admin_client, event, data).status_code == 302
    assert not Workshop.objects.exists()


def test_a_new_slot_with_a_workshop_but_no_time_is_an_error(admin_client, event):
    data = form_values(shown(admin_client, event))
    data["slots-2-workshops-0-title_de"] = "Offene Daten"
    response = post(admin_client, event, data)
    assert response.status_code == 200
    form = slot_forms(response)[2]
    assert "start" in form.errors
    assert form_values(response)["slots-2-workshops-0-title_de"] == "Offene Daten", "kept"
    assert not Workshop.objects.exists()


@pytest.fixture
def chosen_workshop(event):
    """A workshop of the talk that a registrant has chosen (registrations protect it)."""
    from registration.models import WorkshopChoice
    from tests.registration.factories import RegistrationFactory

    workshop = WorkshopFactory(slot=ProgrammeSlot.objects.get(title_de="Vortrag"), title_de="Bildung")
    WorkshopChoice.objects.create(registration=RegistrationFactory(event=event), workshop=workshop)
    return workshop


@pytest.mark.parametrize("removed", ["slots-1-workshops-0-DELETE", "slots-1-DELETE"])
def test_removing_what_a_registration_refers_to_is_an_error_on_its_row(admin_client, event, chosen_workshop, removed):
    data = form_values(shown(admin_client, event))
    assert data["slots-1-workshops-0-title_de"] == "Bildung"
    data[removed] = "on"

    response = post(admin_client, event, data)

    assert response.status_code == 200
    html = response.content.decode()
    removed_object = "„Bildung“" if "workshops" in removed else "„10:15 Vortrag“"
    message = f"{removed_object} kann nicht entfernt werden, solange Folgendes darauf verweist: "
    assert message + "Wahl der Arbeitsgruppe „Bildung“." in html
    assert form_values(response)[removed] == "on", "the box stays ticked, as typed"
    assert Workshop.objects.filter(pk=chosen_workshop.pk).exists()
    assert ProgrammeSlot.objects.filter(title_de="Vortrag").exists()


def test_protected_error_names_what_protects(event, chosen_workshop):
    assert protected_error(chosen_workshop).code == "deleting_protected"
    assert protected_error(ProgrammeSlot.objects.get(title_de="Empfang")) is None


# --- What the row shows of its detail ----------------------------------------------------------------


def test_the_detail_says_what_it_holds_and_opens_when_there_is_something(admin_client, event):
    talk = ProgrammeSlot.objects.get(title_de="Vortrag")
    talk.description_de = "Eine Analyse."
    talk.save()
    WorkshopFactory(slot=talk, title_de="Bildung", title_fr="")

    response = shown(admin_client, event)

    welcome, talk_form = slot_forms(response)[:2]
    assert not welcome.details_open
    assert talk_form.details_open
    texts = [marker["text"] for marker in talk_form.markers]
    assert "Beschreibung fehlt auf Französisch" in texts
    assert "1 Redner/in" in texts and "1 Arbeitsgruppe" in texts
    assert "Arbeitsgruppen-Texte fehlen auf Französisch" in texts
    html = response.content.decode()
    assert 'id="id_slots-1-workshops-0-title_fr_missing"' in html
    assert 'aria-describedby="id_slots-1-workshops-0-title_fr_missing"' in html


# --- The completeness panel links to the editor's fields -------------------------------------------


def test_missing_texts_link_to_the_editors_fields(admin_client, event):
    talk = ProgrammeSlot.objects.get(title_de="Vortrag")
    talk.title_fr = ""
    talk.description_de = "Nur auf Deutsch."
    talk.save()
    WorkshopFactory(slot=talk, title_de="Bildung", title_fr="")

    html = shown(admin_client, event).content.decode()

    for field_id in (
        "id_slots-1-title_fr",
        "id_slots-1-description_fr",
        "id_slots-1-workshops-0-title_fr",
    ):
        assert f'href="#{field_id}" data-field="{field_id}"' in html
        assert f'id="{field_id}"' in html, f"{field_id}: the link's target is on the page"


# --- History --------------------------------------------------------------------------------------------


def test_a_save_in_the_editor_is_one_revision_with_the_whole_programme(admin_client, event):
    assert post(admin_client, event, form_values(shown(admin_client, event))).status_code == 302  # a first version
    data = form_values(shown(admin_client, event))
    data.update({"slots-0-workshops-0-title_de": "Bildung", "slots-0-workshops-0-title_fr": "Éducation"})
    assert post(admin_client, event, data).status_code == 302

    version = Version.objects.get_for_object(event).first()
    saved = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"event", "programmeslot", "workshop", "slotspeaker"} <= saved
    history = admin_client.get(reverse("admin:events_event_history", args=[event.pk])).content.decode()
    assert "Bildung" in history


# --- Cost ---------------------------------------------------------------------------------------------------


def test_the_change_form_query_count_does_not_grow_with_the_programme(admin_client):
    def count(event):
        admin_client.get(change_url(event))
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(change_url(event)).status_code == 200
        return len(queries)

    small = EventFactory(start=local(2025, 6, 12, 9), end=local(2025, 6, 12, 18))
    SlotSpeakerFactory(slot=ProgrammeSlotFactory(event=small, start=local(2025, 6, 12, 10)))
    WorkshopFactory(slot=small.slots.get())
    large = EventFactory(start=local(2025, 6, 13, 9), end=local(2025, 6, 14, 18))
    for hour in range(10, 17):
        slot = ProgrammeSlotFactory(event=large, start=local(2025, 6, 13, hour))
        WorkshopFactory(slot=slot)
        WorkshopFactory(slot=slot)
        SlotSpeakerFactory(slot=slot)
    assert count(large) == count(small)


def test_an_event_being_added_has_a_blank_row_and_no_paste_link(admin_client):
    html = admin_client.get(reverse("admin:events_event_add")).content.decode()
    assert 'name="slots-0-start"' in html and 'name="slots-0-day"' not in html
    assert "/programme/paste/" not in html


def test_a_slot_typed_while_the_events_dates_are_wrong_is_kept(admin_client):
    from .test_admin import event_form_data

    data = event_form_data(
        **split_datetime("end", local(2025, 6, 12, 8)),
        **management_form("slots", 1),
        **programme_slot(0, "10h", "Vortrag"),
    )
    response = admin_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200
    assert form_values(response)["slots-0-title_de"] == "Vortrag"
    assert not Event.objects.exists()


def test_the_day_list_uses_the_events_time_zone():
    """A venue in Europe/Berlin or Luxembourg keeps the same days as in Paris; the editor asks
    the event (events.programme.times.event_days) rather than the server's clock."""
    from django.forms import inlineformset_factory

    from events.programme.editor_forms import ProgrammeFormSet, SlotForm

    event = EventFactory(start=local(2026, 3, 5, 23, 30), end=local(2026, 3, 6, 0, 30))
    formset = inlineformset_factory(Event, ProgrammeSlot, form=SlotForm, formset=ProgrammeFormSet)(instance=event)
    assert formset.days == [datetime.date(2026, 3, 5), datetime.date(2026, 3, 6)]


def test_speakers_and_workshops_follow_the_staff_members_permissions(client, event):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    codenames = ["view_event", "change_event", "view_programmeslot", "change_programmeslot", "view_workshop"]
    codenames += ["view_slotspeaker", "view_person"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames, content_type__app_label="events"))
    client.force_login(user)
    response = client.get(change_url(event))
    html = response.content.decode()
    assert 'name="slots-1-speakers-1-person"' not in html, "no blank line to add a speaker"
    assert 'name="slots-1-speakers-0-DELETE"' not in html, "no box to remove one"
    assert 'data-add="workshop"' not in html
    assert re.search(r"<select name=\"slots-1-speakers-0-person\"[^>]* disabled", html), "shown, not editable"
    data = form_values(response)
    other = PersonFactory(name="Madeleine Kayser")
    data.update(
        {
            **management_form("slots-1-speakers", 2, initial=1),
            "slots-1-speakers-0-person": str(other.pk),  # a change it may not make
            "slots-1-speakers-1-person": str(other.pk),  # an addition it may not make
            "slots-1-title_fr": "Exposé (nouveau titre)",  # a change it may make
        }
    )
    assert client.post(change_url(event), data).status_code == 302
    talk = ProgrammeSlot.objects.get(title_de="Vortrag")
    assert talk.title_fr == "Exposé (nouveau titre)"
    assert [p.name for p in talk.speakers.all()] == ["Vincent Ferry"]


def test_an_event_that_starts_within_a_minute_keeps_its_first_slot(admin_client):
    """Times are kept to the minute: an event starting at 9:30:40 (typed with seconds, or older
    data) takes a slot at 9:30, and a form sent back as shown saves."""
    event = conference_2017(
        start=local(2017, 11, 22, 9, 30).replace(second=40), end=local(2017, 11, 22, 16, 59).replace(second=20)
    )
    first = ProgrammeSlotFactory(event=event, start=event.start, end=event.end, title_de="Ganztägig")
    response = post(admin_client, event, form_values(shown(admin_client, event)))
    assert response.status_code == 302, response.context and response.context["errors"]
    first.refresh_from_db()
    assert (first.start, first.end) == (local(2017, 11, 22, 9, 30), local(2017, 11, 22, 16, 59))


# --- A new speaker without leaving the page ------------------------------------------------------


def test_each_speaker_select_offers_to_add_a_person_in_a_pop_up_window(secretary, event):
    """The admin's "add another person" link beside every person select (its pop-up script puts the
    new person in that select), for staff who may add people."""
    page = shown(secretary, event).content.decode()
    selects = re.findall(r'<select name="([^"]*-person)"[^>]*\bid="([^"]+)"', page)
    assert selects, "no person select on the page"
    for name, select_id in selects:
        link = re.search(rf'<a class="related-widget-wrapper-link add-related" id="add_{select_id}"[^>]*>', page)
        assert link, f"no add link for {name}"
        assert f'href="{reverse("admin:events_person_add")}?_to_field=id&amp;_popup=1"' in link.group(0)


def test_staff_who_may_not_add_people_get_no_add_link(secretary, event):
    from django.contrib.auth.models import Permission

    secretary.user.user_permissions.clear()
    group = secretary.user.groups.get()
    secretary.user.groups.clear()
    rights = Permission.objects.filter(group=group).exclude(codename="add_person")
    secretary.user.user_permissions.set(rights)
    page = shown(secretary, event).content.decode()
    assert re.search(r'<select name="[^"]*-person"', page)
    assert reverse("admin:events_person_add") not in page
