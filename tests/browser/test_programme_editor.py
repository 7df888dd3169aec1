"""The programme in minutes, as a secretary meets it in Chromium at 1366×768: the 2017 conference's
programme on the event form within three screen heights with every title readable in full in both
languages, a French title fixed in place and read on the French page; adding, moving and removing
lines with the keyboard alone; the editor without JavaScript; and the invitation's table pasted
into a new event, previewed and saved. Screenshots of the editor and the paste preview in German
and French go to test-artifacts/screens/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event, ProgrammeSlot, Workshop
from tests.factories import PersonFactory, ProgrammeSlotFactory, conference_2017, local
from tests.test_programme_paste import seed_programme_section

from .checks import axe_violations, focus_style, screenshot
from .test_accessibility import log_in_context, tab_to

pytestmark = pytest.mark.browser

SCREEN = {"width": 1366, "height": 768}
WORDS = {
    "de": {
        "save": "Sichern",
        "continue": "Sichern und weiter bearbeiten",
        "paste": "Programm einfügen",
        "preview": "Vorschau anzeigen",
        "confirm": "Dieses Programm speichern",
        "added": "9 eingefügte Programmpunkte wurden dem Programm hinzugefügt.",
        "add_workshop": "Arbeitsgruppe hinzufügen",
        "move_up": "Nach oben",
    },
    "fr": {
        "save": "Enregistrer",
        "continue": "Enregistrer et continuer les modifications",
        "paste": "Coller le programme",
        "preview": "Afficher l’aperçu",
        "confirm": "Enregistrer ce programme",
        "added": "9 points collés ont été ajoutés au programme.",
        "add_workshop": "Ajouter un atelier",
        "move_up": "Monter",
    },
}


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def errors_of(page):
    return "the browser console reports:\n" + "\n".join(page.errors)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_2017_programme_fits_three_screens_and_a_french_title_is_fixed_in_place(
    open_page, live_server, conference, language
):
    page = open_page(language, width=SCREEN["width"], height=SCREEN["height"], bypass_csp=True)
    log_in_context(page, live_server)
    page.goto(change_url(conference))
    editor = page.locator("#programme")
    expect(editor.locator("fieldset.programme-slot")).to_have_count(10)  # nine slots and a blank row

    height = editor.bounding_box()["height"]
    print(f"programme editor at 1366×768 ({language}): {height:.0f} px = {height / 768:.2f} screens")
    assert height <= 3 * SCREEN["height"], f"the programme takes {height:.0f} px"
    # Both titles of every slot and workshop side by side, each read in full: no box hides text.
    titles = page.evaluate(
        """() => Array.from(document.querySelectorAll('#programme textarea[name$="-title_de"], '
            + '#programme textarea[name$="-title_fr"]'))
            .filter(box => box.value && box.offsetParent !== null)
            .map(box => ({name: box.name, value: box.value, hidden: box.scrollHeight - box.clientHeight,
                          width: box.getBoundingClientRect().width}))"""
    )
    assert len(titles) == 2 * 9 + 2 * 3, "nine slots and three workshops, in both languages, all visible"
    assert not [t for t in titles if t["hidden"] > 1], [t["name"] for t in titles if t["hidden"] > 1]
    de_boxes = page.locator("#id_slots-1-title_de").bounding_box()
    fr_boxes = page.locator("#id_slots-1-title_fr").bounding_box()
    assert abs(de_boxes["y"] - fr_boxes["y"]) < 1 and fr_boxes["x"] > de_boxes["x"], "side by side"
    expect(page.locator("#id_slots-0-start")).to_have_value("09:30")
    violations = axe_violations(page, within="#programme")
    assert not violations, "axe-core found problems in the editor:\n" + "\n".join(violations)
    editor.scroll_into_view_if_needed()
    screenshot(page, f"admin-programme-editor-{language}")

    # The French title of "Echanges avec la salle" fixed where it stands, no tab to look for.
    french = page.locator("#id_slots-3-title_fr")
    expect(french).to_have_value("Echanges avec la salle")
    french.click()
    french.press("Control+a")
    french.type("Échanges avec la salle")
    french.press("Enter")  # a title is one line: Enter breaks nothing
    expect(french).to_have_value("Échanges avec la salle")
    page.get_by_role("button", name=WORDS[language]["save"], exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert ProgrammeSlot.objects.get(event=conference, start=local(2017, 11, 22, 10, 45)).title_fr == (
        "Échanges avec la salle"
    )

    visitor = open_page("fr")
    visitor.goto(conference.get_absolute_url("fr"))
    expect(visitor.locator(".programme").get_by_role("heading", name="Échanges avec la salle")).to_be_visible()
    visitor.goto(conference.get_absolute_url("de"))
    expect(visitor.locator(".programme").get_by_role("heading", name="Austausch mit den Teilnehmern")).to_be_visible()
    assert not page.errors + visitor.errors, errors_of(page)


def test_lines_are_added_moved_and_removed_with_the_keyboard(open_page, live_server, conference):
    page = open_page("de", width=SCREEN["width"], height=SCREEN["height"])
    log_in_context(page, live_server)
    page.goto(change_url(conference))
    workshops_slot = page.locator("#slots-4")  # 11:00, the workshops
    expect(workshops_slot.locator('[data-item="workshop"]')).to_have_count(3)

    # Add a workshop: from the last workshop's "Remove" box, Tab reaches the button.
    workshops_slot.locator("#id_slots-4-workshops-2-DELETE").focus()
    tab_to(page, lambda focus: focus["text"] == WORDS["de"]["add_workshop"])
    page.keyboard.press("Enter")
    expect(page.locator("#id_slots-4-workshops-3-title_de")).to_be_focused()
    page.keyboard.type("Kultur")
    page.keyboard.press("Tab")
    expect(page.locator("#id_slots-4-workshops-3-title_fr")).to_be_focused()
    page.keyboard.type("Culture")
    # Move it up to the top: focus its "Move up" button and press it three times.
    up = page.locator("#slots-4 [data-item='workshop']").last.get_by_role("button", name=WORDS["de"]["move_up"])
    up.focus()
    for _ in range(3):
        page.keyboard.press("Enter")
        assert focus_style(page)["visible"], "the moved line's button keeps a visible focus"
    expect(page.locator("#slots-4 [data-item='workshop']").first.locator("textarea").first).to_have_value("Kultur")
    expect(page.locator("[data-announce]")).to_have_text("An Stelle 1 verschoben.")
    # Remove the 10:45 slot with the keyboard: its "Remove" box, Space.
    page.locator("#id_slots-3-DELETE").focus()
    page.keyboard.press("Space")
    expect(page.locator("#id_slots-3-DELETE")).to_be_checked()

    page.get_by_role("button", name=WORDS["de"]["continue"]).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_be_visible()
    slot = ProgrammeSlot.objects.get(event=conference, start=local(2017, 11, 22, 11))
    assert [w.title_de for w in slot.workshops.all()][:2] == ["Kultur", "Beschäftigung und berufliche Eingliederung"]
    assert Workshop.objects.get(title_de="Kultur").title_fr == "Culture"
    assert not conference.slots.filter(start=local(2017, 11, 22, 10, 45)).exists()
    assert conference.slots.count() == 8
    assert not page.errors, errors_of(page)


def test_the_editor_works_without_javascript(open_page, live_server, transactional_db):
    event = conference_2017(status=Event.Status.DRAFT)
    ProgrammeSlotFactory(event=event, start=local(2017, 11, 22, 9, 30), title_de="Empfang", title_fr="Accueil")
    PersonFactory(name="Sylvie Bortot")
    page = open_page("fr", java_script_enabled=False)
    log_in_context(page, live_server)
    page.goto(change_url(event))
    expect(page.locator("[data-add]").first).to_be_hidden()  # the buttons are the script's
    # The blank row adds a slot, the blank lines of its detail a speaker and a workshop.
    page.locator("#id_slots-1-start").fill("14h")
    page.locator("#id_slots-1-kind").select_option("workshops")
    page.locator("#id_slots-1-title_de").fill("Arbeitsgruppen")
    page.locator("#id_slots-1-title_fr").fill("Ateliers")
    page.locator("#slots-1 > details > summary").click()
    page.locator("#id_slots-1-speakers-0-person").select_option(label="Sylvie Bortot")
    page.locator("#id_slots-1-workshops-0-title_de").fill("Bildung")
    page.locator("#id_slots-1-workshops-0-title_fr").fill("Éducation")
    page.get_by_role("button", name=WORDS["fr"]["continue"]).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    slot = event.slots.get(title_de="Arbeitsgruppen")
    assert slot.start == local(2017, 11, 22, 14) and slot.kind == "workshops"
    assert slot.speakers.get().name == "Sylvie Bortot"
    assert slot.workshops.get().title_fr == "Éducation"
    expect(page.locator("#id_slots-1-start")).to_have_value("14:00")


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_invitations_table_is_pasted_into_a_new_event(open_page, live_server, transactional_db, language):
    event = conference_2017(status=Event.Status.DRAFT)
    page = open_page(language, width=SCREEN["width"], height=SCREEN["height"], bypass_csp=True)
    log_in_context(page, live_server)
    page.goto(change_url(event))
    page.locator(".object-tools").get_by_role("link", name=WORDS[language]["paste"]).click()
    expect(page).to_have_url(re.compile(r"/programme/paste/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(WORDS[language]["paste"])
    violations = axe_violations(page)
    assert not violations, "axe-core found problems on the paste page:\n" + "\n".join(violations)

    page.get_by_label(re.compile("Eingefügtes Programm|Programme collé")).fill(seed_programme_section())
    page.get_by_role("button", name=WORDS[language]["preview"], exact=True).click()

    preview = page.locator(".paste-preview")
    expect(preview.locator("fieldset.paste-slot")).to_have_count(9)
    expect(preview).to_contain_text("Abschlussrunde und Ausblick")
    expect(preview).to_contain_text("Table ronde de clôture")
    expect(preview).to_contain_text("Forschungsgruppe für Bildung und Arbeit (GREE)")
    assert not event.slots.exists(), "a preview saves nothing"
    violations = axe_violations(page)
    assert not violations, "axe-core found problems on the preview:\n" + "\n".join(violations)
    screenshot(page, f"admin-programme-paste-preview-{language}")

    page.get_by_role("button", name=WORDS[language]["confirm"]).click()

    expect(page).to_have_url(re.compile(f"{change_url(event)}#programme$"))
    expect(page.locator(".messagelist .success")).to_have_text(WORDS[language]["added"])
    expect(page.locator("#programme fieldset.programme-slot")).to_have_count(10)
    expect(page.locator("#id_slots-2-title_fr")).to_have_value(
        "L'immigration en Grande Région : une analyse historique comparée"
    )
    assert event.slots.count() == 9
    assert not page.errors, errors_of(page)
