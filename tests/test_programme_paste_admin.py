""" "Paste the programme" in the admin (events/admin/paste.py, events/programme/planner.py): the seed's
table pasted into an empty event gives the demo's 2017 programme slot by slot and the same public
pages; a one-language paste completed by a second; a missing row and differing times named, nothing
saved; a preview left saves nothing; adding to or replacing a programme; the history; permissions."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from events.demo.content import CONFERENCE_2017, PEOPLE
from events.models import Event, Person, ProgrammeSlot, SlotSpeaker, Workshop

from .factories import EventFactory, PersonFactory, ProgrammeSlotFactory, conference_2017, local
from .test_admin import form_values
from .test_programme_paste import seed_programme_section

pytestmark = pytest.mark.django_db

DEMO = CONFERENCE_2017["programme"]
DEMO_SLUG = CONFERENCE_2017["slug_de"]


def paste_url(event):
    return reverse("admin:events_event_paste_programme", args=[event.pk])


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def preview(client, event, text, **fields):
    response = client.post(
        paste_url(event), {"text": text, "language": "", "second_text": "", "_preview": "", **fields}
    )
    assert response.status_code == 200
    return response


def confirm(client, event, page, **changes):
    data = form_values(page)
    data.pop("_preview", None)
    data.update(_confirm="", **changes)
    return client.post(paste_url(event), data)


def history_url(event):
    return reverse("admin:events_event_history", args=[event.pk])


def history_summary(client, event, language):
    """What the history says the latest save did, in ``language``'s admin."""
    client.cookies["django_language"] = language
    entry = client.get(history_url(event)).context["entries"][0]
    client.cookies["django_language"] = "de"
    return " ".join(entry.summary)


def seed_rows():
    """The seed table's rows as [FR time, FR text, DE time, DE text]."""
    return [line.split("\t") for line in seed_programme_section().splitlines() if "\t" in line]


def table(rows):
    return "\n".join("\t".join(row) for row in rows)


@pytest.fixture
def empty_event():
    """The 2017 conference's day and hours, in Metz, without programme."""
    return conference_2017(status=Event.Status.DRAFT)


def assert_is_the_2017_programme(event):
    """Slot by slot what events/demo/content.py publishes."""
    slots = list(event.slots.all())
    assert len(slots) == len(DEMO) == 9
    for slot, expected in zip(slots, DEMO, strict=True):
        assert slot.start == local(2017, 11, 22, *expected["time"]), expected["title_fr"]
        assert slot.end is None
        assert slot.kind == expected["kind"], expected["title_fr"]
        assert (slot.title_fr, slot.title_de) == (expected["title_fr"], expected["title_de"])
        assert [(w.title_fr, w.title_de) for w in slot.workshops.all()] == expected["workshops"]
        links = SlotSpeaker.objects.filter(slot=slot).select_related("person")
        assert [link.person.name for link in links] == expected["speakers"]
        for link in links:
            for field in ("role_fr", "role_de", "affiliation_fr", "affiliation_de"):
                expected_value = PEOPLE[link.person.name].get(field, "")
                assert (getattr(link.person, field) or "") == expected_value, (link.person.name, field)


# --- The proof on the seed --------------------------------------------------------------------------


def test_the_seed_pasted_into_an_empty_event_is_the_2017_programme(admin_client, empty_event):
    page = admin_client.get(paste_url(empty_event))
    assert page.status_code == 200
    assert 'name="text"' in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()

    shown = preview(admin_client, empty_event, seed_programme_section())

    html = shown.content.decode()
    assert not empty_event.slots.exists() and not Person.objects.exists(), "a preview saves nothing"
    plan = shown.context["plan"]
    assert plan.can_confirm and len(plan.slots) == 9
    assert "9 Programmpunkte, 3 Arbeitsgruppen, 5 Redner/innen (5 neue Personen)." in " ".join(html.split())
    for expected in DEMO:
        assert expected["title_fr"].replace("'", "&#x27;") in html and expected["title_de"] in html
    # The heading above the table and the notes under it are named, left out.
    assert html.count("Nicht übernommen, da es zu keiner Programmzeile gehört") == 2
    assert 'name="_confirm"' in html

    response = confirm(admin_client, empty_event, shown)

    assert response.status_code == 302 and response["Location"] == f"{change_url(empty_event)}#programme"
    assert_is_the_2017_programme(empty_event)
    assert Person.objects.count() == 5
    ferry = Person.objects.get(name="Vincent Ferry")
    assert ferry.affiliation_de == "Forschungsgruppe für Bildung und Arbeit (GREE)"
    assert ferry.affiliation_fr == "Groupe de Recherche sur l'Education et l'Emploi (GREE)"
    # One revision, with the secretary's name and what happened, read in the reader's language.
    version = Version.objects.get_for_object(empty_event).first()
    assert version.revision.user.username == "admin"
    saved = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"event", "programmeslot", "workshop", "slotspeaker", "person"} <= saved
    message = admin_client.get(response["Location"]).content.decode()
    assert "9 eingefügte Programmpunkte wurden dem Programm hinzugefügt." in message
    assert (
        history_summary(admin_client, empty_event, "de")
        == "9 eingefügte Programmpunkte wurden dem Programm hinzugefügt."
    )
    assert history_summary(admin_client, empty_event, "fr") == "9 points collés ont été ajoutés au programme."


def public_programme(client, event):
    """What visitors read of the programme: the event page's section and the bilingual table, in
    both languages."""
    parts = []
    for language in ("de", "fr"):
        detail = client.get(event.get_absolute_url(language)).content.decode()
        parts.append(re.search(r'<section class="programme".*?</section>', detail, re.S).group(0))
        bilingual = client.get(event.get_programme_url(language)).content.decode()
        parts.append(re.search(r'<table class="bilingual-programme">.*?</table>', bilingual, re.S).group(0))
    return parts


def test_the_public_pages_of_a_pasted_programme_are_the_demos(admin_client, client):
    """load_demo's 2017 event, its programme removed and pasted again from the seed: visitors read
    the same programme on the event page and on the bilingual programme, in both languages (the
    people of the demo are found by their names)."""
    call_command("load_demo", "--no-posters", stdout=io.StringIO())
    event = Event.objects.get(slug_de=DEMO_SLUG)
    before = public_programme(client, event)
    assert "Vincent Ferry" in before[0] and "Abschlussrunde" in before[0]
    people = Person.objects.count()
    for slot in event.slots.all():
        slot.delete()

    shown = preview(admin_client, event, seed_programme_section())
    assert shown.context["plan"].counts()["new_people"] == 0, "the demo's people are known"
    assert confirm(admin_client, event, shown).status_code == 302

    assert Person.objects.count() == people
    assert_is_the_2017_programme(event)
    assert public_programme(client, event) == before


# --- One language, then the other ------------------------------------------------------------------


def test_a_one_language_paste_is_completed_by_a_second(admin_client, empty_event):
    rows = seed_rows()
    french = table([row[:2] for row in rows])
    german = table([row[2:] for row in rows])

    first = preview(admin_client, empty_event, french)

    plan = first.context["plan"]
    assert plan.proposal.languages == ("fr",) and plan.is_one_language
    html = first.content.decode()
    assert "Um das Programm auf Deutsch ergänzen" in html
    assert 'name="second_text"' in html and "Das Programm auf Deutsch" in html
    data = form_values(first)
    data["second_text"] = german

    second = admin_client.post(paste_url(empty_event), {**data, "_preview": ""})

    assert second.context["plan"].proposal.languages == ("fr", "de")
    assert second.context["plan"].can_confirm
    assert not empty_event.slots.exists()
    assert confirm(admin_client, empty_event, second).status_code == 302
    assert_is_the_2017_programme(empty_event)


def test_a_one_language_paste_may_be_saved_as_it_is(admin_client, empty_event):
    french = table([row[:2] for row in seed_rows()])
    assert confirm(admin_client, empty_event, preview(admin_client, empty_event, french)).status_code == 302
    slots = list(empty_event.slots.all())
    assert len(slots) == 9 and all(slot.title_fr and not slot.title_de for slot in slots)


# --- Mismatches are named, nothing is saved --------------------------------------------------------------


def test_a_row_missing_in_one_language_is_named(admin_client, empty_event):
    rows = seed_rows()
    rows[5] = [rows[5][0], rows[5][1], "", ""]  # 12h45, the lunch, without its German half

    shown = preview(admin_client, empty_event, table(rows))

    html = shown.content.decode()
    assert "„Déjeuner « Cuisine du monde »“ steht nur im französischen Programm." in html
    assert "⚠ fehlt auf Deutsch" in html
    problems = [p.code for p in shown.context["plan"].proposal.problems]
    assert "only_in_french" in problems
    assert not empty_event.slots.exists() and not Person.objects.exists()


def test_differing_times_are_named_and_block_saving(admin_client, empty_event):
    rows = seed_rows()
    rows[2][2] = "10:20"  # the German 10:15 reads 10:20

    shown = preview(admin_client, empty_event, table(rows))

    html = shown.content.decode()
    assert "Die französische Uhrzeit (10:15) und die deutsche (10:20) weichen voneinander ab" in html
    assert "Muss behoben werden:" in html
    assert 'name="_confirm"' not in html, "no button to save it"
    assert not shown.context["plan"].can_confirm

    # Sent anyway (an old page, a crafted request): refused, nothing saved.
    response = confirm(admin_client, empty_event, shown)
    assert response.status_code == 200
    assert "Nichts wurde gespeichert" in response.content.decode()
    assert not ProgrammeSlot.objects.exists() and not Person.objects.exists()


def test_a_slot_outside_the_events_hours_blocks_saving(admin_client):
    afternoon = conference_2017(start=local(2017, 11, 22, 14), end=local(2017, 11, 22, 17))
    shown = preview(admin_client, afternoon, seed_programme_section())
    html = shown.content.decode()
    assert "Die Veranstaltung beginnt um 14:00; der Programmpunkt kann nicht früher beginnen." in html
    assert 'name="_confirm"' not in html
    assert confirm(admin_client, afternoon, shown).status_code == 200
    assert not afternoon.slots.exists()


def test_an_empty_paste_is_an_error_on_the_field(admin_client, empty_event):
    response = admin_client.post(paste_url(empty_event), {"text": "", "_preview": ""})
    assert response.status_code == 200
    assert response.context["paste"].errors["text"] == ["Fügen Sie hier zuerst das Programm ein."]
    response = preview(admin_client, empty_event, "Nur ein Satz ohne Uhrzeit.")
    assert "Kein Programm gefunden" in response.content.decode()
    assert 'name="_confirm"' not in response.content.decode()


def test_a_preview_left_saves_nothing(admin_client, empty_event):
    shown = preview(admin_client, empty_event, seed_programme_section())
    assert shown.context["plan"].can_confirm

    # The secretary goes back to the event instead of saving.
    page = admin_client.get(change_url(empty_event))
    assert page.status_code == 200
    assert not ProgrammeSlot.objects.exists() and not Workshop.objects.exists() and not Person.objects.exists()
    assert not Version.objects.exists()


def test_a_text_changed_after_its_preview_is_not_saved_unseen(admin_client, empty_event):
    shown = preview(admin_client, empty_event, seed_programme_section())
    rows = seed_rows()[:3]
    response = confirm(admin_client, empty_event, shown, text=table(rows))
    assert response.status_code == 200
    assert "Der eingefügte Text wurde seit der Vorschau geändert" in response.content.decode()
    assert len(response.context["plan"].slots) == 3, "the new text's preview"
    assert not ProgrammeSlot.objects.exists()


# --- Choices on the preview ------------------------------------------------------------------------------


def test_the_kind_and_the_person_can_be_chosen_on_the_preview(admin_client, empty_event):
    known = PersonFactory(name="Vincent Ferry", role_de="Historiker", role_fr="Historien")
    shown = preview(admin_client, empty_event, seed_programme_section())
    html = shown.content.decode()
    assert "Vincent Ferry, bereits bekannt: Historiker, Universität des Saarlandes" in html
    data = form_values(shown)
    assert data["person-3-1"] == str(known.pk), "matched by name"
    assert data["kind-1"] == "reception"

    response = confirm(admin_client, empty_event, shown, **{"kind-1": "other", "person-3-1": "new"})

    assert response.status_code == 302
    assert empty_event.slots.first().kind == "other"
    assert Person.objects.filter(name="Vincent Ferry").count() == 2, "a namesake, as chosen"
    assert empty_event.slots.get(kind="talk").speakers.get() != known


def test_a_known_persons_page_keeps_its_texts(admin_client, empty_event):
    known = PersonFactory(name="Vincent Ferry", role_de="Historiker", role_fr="Historien")
    shown = preview(admin_client, empty_event, seed_programme_section())
    assert "die Seite der Person behält „Historiker“" in shown.content.decode()
    assert confirm(admin_client, empty_event, shown).status_code == 302
    known.refresh_from_db()
    assert known.role_de == "Historiker"
    assert empty_event.slots.get(kind="talk").speakers.get() == known


# --- Adding to a programme, or replacing it ----------------------------------------------------------------


@pytest.fixture
def event_with_programme(empty_event):
    ProgrammeSlotFactory(event=empty_event, start=local(2017, 11, 22, 9, 30), title_de="Alte Begrüßung")
    return empty_event


def test_pasted_slots_are_added_to_the_programme(admin_client, event_with_programme):
    shown = preview(admin_client, event_with_programme, seed_programme_section())
    assert form_values(shown)["mode"] == "add"
    assert confirm(admin_client, event_with_programme, shown).status_code == 302
    assert event_with_programme.slots.count() == 10
    assert event_with_programme.slots.filter(title_de="Alte Begrüßung").exists()


def test_replacing_the_programme_needs_a_confirmation(admin_client, event_with_programme):
    shown = preview(admin_client, event_with_programme, seed_programme_section())
    html = shown.content.decode()
    assert "Das Programm ersetzen: seinen 1 Programmpunkt" in html

    response = confirm(admin_client, event_with_programme, shown, mode="replace")

    assert response.status_code == 200
    assert response.context["choices"].errors["replace_confirmed"]
    assert list(event_with_programme.slots.values_list("title_de", flat=True)) == ["Alte Begrüßung"]

    response = confirm(admin_client, event_with_programme, shown, mode="replace", replace_confirmed="on")

    assert response.status_code == 302
    assert_is_the_2017_programme(event_with_programme)
    assert history_summary(admin_client, event_with_programme, "de") == (
        "Das Programm wurde durch das eingefügte ersetzt: 9 Programmpunkte."
    )
    changes = admin_client.get(history_url(event_with_programme)).context["entries"][0].changes
    assert [change.action for change in changes] == ["added"] * 17 + ["removed"], (
        "9 slots, 3 workshops, 5 speakers; 1 slot"
    )


def test_a_replaced_programme_comes_back_from_the_history(admin_client, event_with_programme):
    data = form_values(admin_client.get(change_url(event_with_programme)))
    assert admin_client.post(change_url(event_with_programme), data).status_code == 302  # recorded once
    shown = preview(admin_client, event_with_programme, seed_programme_section())
    confirm(admin_client, event_with_programme, shown, mode="replace", replace_confirmed="on")
    assert not event_with_programme.slots.filter(title_de="Alte Begrüßung").exists()

    history = admin_client.get(reverse("admin:events_event_history", args=[event_with_programme.pk]))
    earlier = history.context["entries"][-1]
    restore = admin_client.get(earlier.restore_url)
    assert "Alte Begrüßung" in form_values(restore).values()
    assert admin_client.post(earlier.restore_url, form_values(restore)).status_code == 302
    assert list(event_with_programme.slots.values_list("title_de", flat=True)) == ["Alte Begrüßung"]


def test_pasting_twice_points_out_the_slots_already_there(admin_client, empty_event):
    confirm(admin_client, empty_event, preview(admin_client, empty_event, seed_programme_section()))
    shown = preview(admin_client, empty_event, seed_programme_section())
    assert "Das Programm hat diesen Programmpunkt schon (09:30 „Empfang der Teilnehmer“)" in shown.content.decode()


# --- Who may --------------------------------------------------------------------------------------------------


def staff(client, username, *permissions, group=None):
    user = get_user_model().objects.create_user(username, password="a-long-test-password", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="events"))
    client.force_login(user)
    return client


def test_the_secretariat_may_paste(client, empty_event):
    secretary = staff(client, "sekretariat", group="Sekretariat")
    change = secretary.get(change_url(empty_event)).content.decode()
    assert f'href="{paste_url(empty_event)}"' in change
    shown = preview(secretary, empty_event, seed_programme_section())
    assert confirm(secretary, empty_event, shown).status_code == 302
    assert empty_event.slots.count() == 9


def test_pasting_needs_the_right_to_change_the_event(client, empty_event):
    reader = staff(client, "reader", "view_event")
    assert reader.get(paste_url(empty_event)).status_code == 403
    assert reader.post(paste_url(empty_event), {"text": seed_programme_section(), "_confirm": ""}).status_code == 403
    assert not ProgrammeSlot.objects.exists()


def test_pasting_needs_the_right_to_add_slots(client, empty_event):
    editor = staff(client, "editor", "view_event", "change_event")
    assert editor.get(paste_url(empty_event)).status_code == 403


def test_new_people_need_the_right_to_add_people(client, empty_event):
    rights = ("view_event", "change_event", "add_programmeslot", "add_workshop", "add_slotspeaker", "view_person")
    editor = staff(client, "editor", *rights)
    shown = preview(editor, empty_event, seed_programme_section())
    assert "Sie dürfen keine Personen anlegen" in shown.content.decode()
    assert confirm(editor, empty_event, shown).status_code == 200
    assert not ProgrammeSlot.objects.exists() and not Person.objects.exists()
    # With every speaker known, the same paste goes through.
    for name in ("Vincent Ferry", "Madeleine Kayser", "Sylvie Bortot", "Guido Freidinger", "Hans-Werner Meyer"):
        PersonFactory(name=name)
    assert confirm(editor, empty_event, preview(editor, empty_event, seed_programme_section())).status_code == 302


def test_replacing_needs_the_right_to_delete_slots(client, event_with_programme):
    rights = ("view_event", "change_event", "add_programmeslot", "add_workshop", "add_slotspeaker", "add_person")
    editor = staff(client, "editor", *rights)
    shown = preview(editor, event_with_programme, seed_programme_section())
    assert "mode" not in form_values(shown)
    confirm(editor, event_with_programme, shown, mode="replace", replace_confirmed="on")
    assert event_with_programme.slots.filter(title_de="Alte Begrüßung").exists(), "added, not replaced"


def test_a_post_without_csrf_token_is_refused(empty_event):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    response = client.post(paste_url(empty_event), {"text": seed_programme_section(), "_confirm": ""})
    assert response.status_code == 403
    assert not ProgrammeSlot.objects.exists()


def test_an_unknown_event_is_not_a_server_error(admin_client):
    assert admin_client.get(reverse("admin:events_event_paste_programme", args=[999])).status_code == 302
    assert admin_client.get("/admin/events/event/abc/programme/paste/").status_code == 302


def test_the_paste_page_is_in_the_staff_members_language(admin_client, empty_event):
    admin_client.cookies["django_language"] = "fr"
    html = admin_client.get(paste_url(empty_event)).content.decode()
    assert "Coller le programme" in html and '<html lang="fr"' in html
    admin_client.cookies["django_language"] = "de"
    assert "Programm einfügen" in admin_client.get(paste_url(empty_event)).content.decode()


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "de",
            [
                "So werden Redner/innen und Arbeitsgruppen geschrieben",
                "Redner/innen: eine Zeile „Name, Funktion, Institution“ unter dem Titel",
                "Arbeitsgruppen: eine Zeile „Arbeitsgruppen: Mobilität; Kultur“",
                "Uhrzeit (Französisch)",
            ],
        ),
        (
            "fr",
            [
                "Comment écrire les intervenant·es et les ateliers",
                "Intervenant·es\u00a0: une ligne «\u00a0Nom, fonction, institution\u00a0» sous le titre",
                "Ateliers\u00a0: une ligne «\u00a0Ateliers\u00a0: Mobilité\u00a0; Culture\u00a0»",
                "Heure (français)",
            ],
        ),
    ],
)
def test_the_paste_page_shows_how_speakers_and_workshops_are_written(client, empty_event, language, texts):
    secretary = staff(client, "sekretariat", group="Sekretariat")
    secretary.cookies["django_language"] = language
    html = secretary.get(paste_url(empty_event)).content.decode()
    for text in texts:
        assert text in html, text
    # The example table, as the invitation's: a slot with two speakers, one with two workshops.
    assert "Marie Dupont, Chercheuse, Université de Lorraine\u00a0; Jan Weber, Ville de Trèves" in html
    assert "Ateliers\u00a0: Mobilité\u00a0; Culture</td>" in html and "Arbeitsgruppen: Mobilität; Kultur</td>" in html


def test_workshops_on_one_line_are_pasted_and_a_workshops_slot_without_any_is_pointed_out(client, empty_event):
    secretary = staff(client, "sekretariat", group="Sekretariat")
    text = "10h\tAteliers : Mobilité ; Culture\t10:00\tArbeitsgruppen: Mobilität; Kultur\n"
    text += "14h\tAteliers\t14:00\tArbeitsgruppen"
    shown = preview(secretary, empty_event, text)
    html = " ".join(shown.content.decode().split())
    assert "2 Programmpunkte, 2 Arbeitsgruppen, 0 Redner/innen." in html
    second = html[html.index('id="paste-slot-2"') :]
    second = second[: second.index("</fieldset>")]
    kind = "Bitte prüfen:</span> Dieser Programmpunkt ist von der Art „Arbeitsgruppen“, nennt aber keine Arbeitsgruppe."
    assert kind in second
    first = html[html.index('id="paste-slot-1"') : html.index('id="paste-slot-2"')]
    assert "Bitte prüfen" not in first

    # Another kind chosen for it on the preview: nothing to point out.
    data = {**form_values(shown), "kind-2": "discussion"}
    shown = secretary.post(paste_url(empty_event), data)
    assert [[p.code for p in slot.problems] for slot in shown.context["plan"].slots] == [[], []]
    assert confirm(secretary, empty_event, shown, **{"kind-2": "discussion"}).status_code == 302
    assert [slot.workshops.count() for slot in empty_event.slots.all()] == [2, 0]


def test_an_event_of_several_days_gets_each_pasted_day(admin_client):
    event = EventFactory(start=local(2026, 3, 5, 9), end=local(2026, 3, 6, 17), status=Event.Status.DRAFT)
    text = "Jeudi 5 mars\n9h\tAccueil\t9:00\tEmpfang\n\nVendredi 6 mars\n10h\tAteliers\t10:00\tArbeitsgruppen\n"
    shown = preview(admin_client, event, text)
    assert [slot.day.isoformat() for slot in shown.context["plan"].slots] == ["2026-03-05", "2026-03-06"]
    assert confirm(admin_client, event, shown).status_code == 302
    assert [slot.start for slot in event.slots.all()] == [local(2026, 3, 5, 9), local(2026, 3, 6, 10)]


def test_a_programme_registrants_refer_to_is_not_replaced(admin_client, event_with_programme):
    from registration.models import WorkshopChoice
    from tests.factories import WorkshopFactory
    from tests.registration.factories import RegistrationFactory

    workshop = WorkshopFactory(slot=event_with_programme.slots.get(), title_de="Bildung")
    WorkshopChoice.objects.create(registration=RegistrationFactory(event=event_with_programme), workshop=workshop)
    shown = preview(admin_client, event_with_programme, seed_programme_section())

    response = confirm(admin_client, event_with_programme, shown, mode="replace", replace_confirmed="on")

    assert response.status_code == 200
    assert "kann nicht entfernt werden" in " ".join(response.context["choices"].errors["mode"])
    assert list(event_with_programme.slots.values_list("title_de", flat=True)) == ["Alte Begrüßung"]
    assert Workshop.objects.filter(pk=workshop.pk).exists()
