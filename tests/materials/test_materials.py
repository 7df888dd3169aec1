"""Issue 26: an event's materials — the demo's 2017 documentation in both languages, uploads
refused from their content with errors in the staff member's language, registrants-only files
behind the personal link, the page cache and the history."""

import io
import json
import re
import zipfile
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image
from reversion import create_revision
from reversion.models import Version

from events.demo.content import CONFERENCE_2017
from events.models import Event
from materials import demo, files
from materials.admin import MaterialForm
from materials.models import Material
from materials.pdf import tagged_pdf
from registration import links
from registration.models import Registration
from tests.factories import ProgrammeSlotFactory, conference_2017
from tests.helpers import html_of
from tests.registration.factories import RegistrationFactory
from tests.web_client import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def conference():
    return conference_2017(slug_de=CONFERENCE_2017["slug_de"], slug_fr=CONFERENCE_2017["slug_fr"])


def page(event, language):
    return html_of(Client().get(event.get_absolute_url(language)))


def material(event, data, name, **fields):
    made = Material(event=event, **{"kind": Material.Kind.OTHER, "title_de": "Dokument", **fields})
    files.attach(made, ContentFile(data, name=name))
    made.save()
    return made


def upload_errors(data, name, language):
    with translation.override(language):
        form = MaterialForm(
            data={"kind": "slides", "language": "de", "access": "public", "order": 0, "title_de": "Folien"},
            files={"file": SimpleUploadedFile(name, data)},
        )
        form.is_valid()
        return [str(error) for error in form.errors.get("file", [])]


# --- The demo: the 2017 conference after the event ------------------------------------------


def test_the_german_page_offers_the_german_programme_the_french_version_and_french_only_minutes(conference):
    demo.load()
    html = page(conference, "de")
    section = html[html.index('id="materials-title"') : html.index("</section>", html.index('class="gallery"'))]
    assert ">Dokumentation</h2>" in html
    # The German programme is the entry; the French one is offered beside it, in French.
    assert "Programm der Konferenz</a>" in section
    assert '<a href="/media/materials/' in section
    assert 'lang="fr" hreflang="fr">Version française</a>' in section
    assert section.count("PDF, 1,") >= 2
    # The minutes exist in French only, and the German page says so.
    minutes = section[section.index("Protokoll der Konferenz") :]
    assert "nur auf Französisch" in minutes[: minutes.index("</li>")]
    assert "Nicht vollständig barrierefrei" in minutes[: minutes.index("</li>")]
    # The gallery: figures with German alternative texts, credit and licence.
    assert section.count('<figure class="gallery__item">') == 3
    assert 'alt="Blick in den vollen Saal des Rathauses während der Eröffnungsrede."' in section
    assert "Lizenz: CC BY 4.0" in section
    assert "<script" not in section and "style=" not in section


def test_the_french_page_puts_the_french_programme_first_and_does_not_label_the_french_minutes(conference):
    demo.load()
    html = page(conference, "fr")
    section = html[html.index('id="materials-title"') :]
    assert "Programme de la conférence</a>" in section
    assert 'lang="de" hreflang="de">Deutsche Fassung</a>' in section
    minutes = section[section.index("Compte rendu de la conférence") :]
    assert "uniquement" not in minutes[: minutes.index("</li>")]
    assert "Licence\u00a0: CC BY 4.0" in section or "Licence\u202f: CC BY 4.0" in section
    assert "Ouverture à l’Hôtel de Ville" in section or "Ouverture à l'Hôtel de Ville" in section


def test_the_programme_versions_are_linked_both_ways_and_the_photos_carry_no_exif(conference):
    materials = {m.title_de: m for m in demo.load()}
    german, french = materials["Programm der Konferenz"], materials["Programm der Konferenz (Französisch)"]
    assert (german.other_version_id, french.other_version_id) == (french.pk, german.pk)
    photo = materials["Eröffnung im Rathaus"]
    with photo.file.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()
    assert german.accessibility == Material.Accessibility.ACCESSIBLE
    assert materials["Protokoll der Konferenz"].accessibility_problems == "untagged no-language no-title"


# --- Uploads ------------------------------------------------------------------------------


def test_a_renamed_program_is_refused_in_the_staff_members_language():
    program = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
    assert upload_errors(program, "programm.pdf", "de") == [
        "Diese Datei ist ein Programm, was auch immer ihr Name sagt: Programme können nicht hochgeladen werden. "
        "Laden Sie ein PDF, eine Word-, Excel- oder PowerPoint-Datei, eine OpenDocument-Datei oder ein JPEG-, "
        "PNG- oder WebP-Bild hoch."
    ]
    [french] = upload_errors(program, "programme.pdf", "fr")
    assert french.startswith("Ce fichier est un programme, quoi qu’en dise son nom\u00a0: on ne peut pas")


def test_an_oversized_file_is_refused_with_its_size_and_the_limit(settings):
    settings.MATERIALS_MAX_UPLOAD_BYTES = 1024 * 1024
    big = tagged_pdf("Gross", ["x"], "de") + b"%" + b"x" * (2 * 1024 * 1024)
    assert upload_errors(big, "gross.pdf", "de") == [
        "Diese Datei ist 2,0 MB groß; eine Datei darf höchstens 1,0 MB groß sein."
    ]
    assert upload_errors(big, "gros.pdf", "fr") == [
        "Ce fichier fait 2,0\u00a0Mo\u00a0; un fichier peut faire au plus 1,0\u00a0Mo."
    ]


@pytest.mark.parametrize(
    ("catalog", "what"),
    [
        (b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
        (b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>", "JavaScript"),
        (b" /Names << /EmbeddedFiles 10 0 R >>", "eingebettete Dateien"),
        (b" /OpenAction << /S /Launch /F (cmd.exe) >>", "eine Aktion, die ein Programm startet"),
    ],
)
def test_a_pdf_that_could_run_something_is_refused(catalog, what):
    pdf = tagged_pdf("Folien", ["Hallo"], "de", extra_catalog=catalog)
    [error] = upload_errors(pdf, "folien.pdf", "de")
    assert error.startswith(f"Dieses PDF enthält {what}, das auf dem Computer")


def test_javascript_hidden_in_a_compressed_stream_is_found():
    hidden = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")
    pdf = tagged_pdf("Folien", ["Hallo"], "de").replace(
        b"xref",
        b"10 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(hidden)
        + hidden
        + b"\nendstream\nendobj\nxref",
        1,
    )
    assert upload_errors(pdf, "folien.pdf", "de")[0].startswith("Dieses PDF enthält JavaScript")


def test_an_html_page_is_refused():
    [error] = upload_errors(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "folien.pdf", "de")
    assert error.startswith("Diese Datei ist eine Webseite (HTML)")


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_office_files_are_told_from_their_content_and_macros_refused():
    docx = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    made = Material(kind="slides", title_de="Text")
    files.attach(made, ContentFile(docx, name="Bericht über Zuwanderung.PDF"))
    assert (made.format_label, made.media_type.endswith("wordprocessingml.document")) == ("DOCX", True)
    made.event = conference_2017()
    made.save()
    assert made.file.name.endswith("/bericht-ueber-zuwanderung.docx")
    docm = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "x", "word/vbaProject.bin": "x"})
    assert upload_errors(docm, "bericht.docx", "de")[0].startswith("Dieses Dokument enthält Makros")
    assert upload_errors(_zip({"a.txt": "x"}), "bericht.docx", "de")[0].startswith("Diese Datei hat keinen der")


def test_a_replaced_or_deleted_file_leaves_nothing_behind(conference, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = material(conference, tagged_pdf("Eins", ["1"], "de"), "eins.pdf")
    storage, first = made.file.storage, made.file.name
    with django_capture_on_commit_callbacks(execute=True):
        files.attach(made, ContentFile(tagged_pdf("Zwei", ["2"], "de"), name="zwei.pdf"))
        made.save()
    assert not storage.exists(first) and storage.exists(made.file.name)
    second = made.file.name
    with django_capture_on_commit_callbacks(execute=True):
        made.delete()
    assert not storage.exists(second)
    assert storage.listdir("materials") == ([], [])  # not even their folders


def test_the_event_form_shows_the_documentation_inline_to_the_secretariat(secretary, conference):
    material(conference, tagged_pdf("Eins", ["1"], "de"), "eins.pdf", title_de="Folien Eins")
    with translation.override("de"):
        response = secretary.get(f"/admin/events/event/{conference.pk}/change/", HTTP_ACCEPT_LANGUAGE="de")
    html = html_of(response)
    assert response.status_code == 200
    assert "Dokumentation (Dokumente, Fotos, Videos)" in html
    assert 'value="Folien Eins"' in html
    assert "barrierefreies PDF (getaggt, Sprache und Titel gesetzt)" in html


# --- Registrants only -------------------------------------------------------------------------


def test_a_registrants_only_file_is_served_only_through_a_confirmed_registrants_link(conference):
    secret = material(
        conference,
        tagged_pdf("Folien", ["Nur für Teilnehmende"], "de"),
        "folien.pdf",
        title_de="Folien für Teilnehmende",
        access=Material.Access.REGISTRANTS,
    )
    public_html = page(conference, "de")
    assert secret.file.name not in public_html and "Folien für Teilnehmende" not in public_html
    assert "über den persönlichen Link" in public_html
    registrant = RegistrationFactory(event=conference)
    url = links.manage_url(registrant, "de", "registration:material", pk=secret.pk)
    response = Client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    # The registrant's own page lists it.
    assert "Folien für Teilnehmende" in html_of(Client().get(links.manage_url(registrant, "de")))
    # A forged link, another event's registrant, a registrant on the waiting list: nothing.
    assert Client().get(url.replace(links.token(registrant), links.token(registrant)[:-2] + "xx")).status_code == 404
    other = RegistrationFactory()
    assert Client().get(links.manage_url(other, "de", "registration:material", pk=secret.pk)).status_code == 404
    waiting = RegistrationFactory(event=conference, status=Registration.Status.WAITLISTED)
    assert Client().get(links.manage_url(waiting, "de", "registration:material", pk=secret.pk)).status_code == 404


# --- The page cache and the history -------------------------------------------------------


def test_a_material_save_makes_the_event_page_fresh():
    event = conference_2017()
    visitor = Client()
    url = event.get_absolute_url("de")
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    made = material(event, tagged_pdf("Eins", ["1"], "de"), "eins.pdf", title_de="Neue Folien")
    after = visitor.get(url)
    assert after["X-Page-Cache"] == "miss" and "Neue Folien" in html_of(after)
    made.title_de = "Umbenannte Folien"
    made.save()
    assert "Umbenannte Folien" in html_of(visitor.get(url))


def test_a_slots_material_is_shown_beside_the_slot():
    event = conference_2017()
    slot = ProgrammeSlotFactory(event=event, title_de="Eröffnung", title_fr="Ouverture")
    material(event, tagged_pdf("Rede", ["1"], "de"), "rede.pdf", title_de="Eröffnungsrede", slot=slot, kind="slides")
    html = page(event, "de")
    programme = html[html.index('class="programme"') :]
    item = programme[programme.index("Eröffnung</h3>") :]
    assert "Eröffnungsrede</a>" in item[: item.index("</li>\n  </ul>")]


def test_restoring_an_events_version_brings_its_deleted_materials_back(conference):
    video = Material.objects.create(
        event=conference, kind=Material.Kind.VIDEO, title_de="Mitschnitt", url="https://video.example.org/2017"
    )
    with create_revision():
        Event.objects.get(pk=conference.pk).save()
    video.delete()
    assert not Material.objects.filter(event=conference).exists()
    [version] = Version.objects.get_for_object(conference)
    version.revision.revert(delete=True)
    assert list(Material.objects.filter(event=conference).values_list("title_de", "url")) == [
        ("Mitschnitt", "https://video.example.org/2017")
    ]


def post_event_form(client, event, upload, language, **fields):
    """The event form as the browser sends it, with one new material uploading ``upload``."""
    change_url = f"/admin/events/event/{event.pk}/change/"
    data = {}
    for name, value in form_fields(html_of(client.get(change_url, HTTP_ACCEPT_LANGUAGE=language)), "event_form"):
        data.setdefault(name, []).append(value)
    data["materials-TOTAL_FORMS"] = ["1"]
    new = {"kind": "slides", "language": "de", "access": "public", "order": "1", "title_de": "Folien", **fields}
    data.update({f"materials-0-{name}": [value] for name, value in new.items()})
    data["materials-0-file"] = upload
    return client.post(change_url, data, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Diese Datei ist ein Programm, was auch immer ihr Name sagt"),
        ("fr", "Ce fichier est un programme, quoi qu’en dise son nom"),
    ],
)
def test_the_event_form_refuses_a_renamed_program_in_the_staff_members_language(
    secretary, conference, language, message
):
    program = SimpleUploadedFile("folien.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = post_event_form(secretary, conference, program, language)
    assert response.status_code == 200
    assert message in html_of(response)
    assert not Material.objects.exists()


def test_the_event_form_stores_an_upload_under_a_safe_random_name(secretary, conference):
    pdf = SimpleUploadedFile("Folien Zuwanderung (Entwurf).PDF", tagged_pdf("Folien", ["1"], "de-DE"))
    response = post_event_form(secretary, conference, pdf, "de")
    assert response.status_code == 302
    [stored] = Material.objects.all()
    assert re.fullmatch(r"materials/[0-9a-f]{32}/folien-zuwanderung-entwurf\.pdf", stored.file.name)
    assert (stored.format_label, stored.accessibility) == ("PDF", Material.Accessibility.ACCESSIBLE)
    assert "Folien</a>" in page(conference, "de")


@pytest.mark.parametrize("count", [1, 6])
def test_the_event_form_reads_the_materials_and_their_choices_a_fixed_number_of_times(
    secretary, conference, count, django_assert_num_queries
):
    for number in range(count):
        Material.objects.create(event=conference, title_de=f"Link {number}", url=f"https://example.org/{number}")
    url = f"/admin/events/event/{conference.pk}/change/"
    secretary.get(url)  # content types and the like, cached for the process
    # The same with 1 material as with 6: the rows in one query, each select's choices in one.
    with django_assert_num_queries(20):
        assert secretary.get(url).status_code == 200


def test_the_json_ld_names_the_public_materials_as_subject_of_the_event(conference):
    demo.load()
    Material.objects.create(
        event=conference, title_de="Nur für Teilnehmende", url="https://example.org/x", access="registrants"
    )
    html = page(conference, "de")
    data = json.loads(html[html.index('type="application/ld+json">') + 27 : html.index("</script>")])
    works = {work["name"]: work for work in data["subjectOf"]}
    assert works["Programm der Konferenz"]["@type"] == "DigitalDocument"
    assert works["Programm der Konferenz"]["inLanguage"] == "de"
    assert works["Protokoll der Konferenz"]["inLanguage"] == "fr"
    assert works["Eröffnung im Rathaus"]["@type"] == "ImageObject"
    assert "Nur für Teilnehmende" not in works


def test_the_events_history_shows_what_changed_in_its_materials_and_restores_them(secretary, conference):
    Material.objects.create(event=conference, kind="video", title_de="Mitschnitt", url="https://example.org/v1")
    change_url = f"/admin/events/event/{conference.pk}/change/"
    data = {}
    for name, value in form_fields(html_of(secretary.get(change_url)), "event_form"):
        data.setdefault(name, []).append(value)
    assert secretary.post(change_url, data).status_code == 302  # the first version
    data["materials-0-title_de"] = ["Mitschnitt der Podiumsdiskussion"]
    assert secretary.post(change_url, data).status_code == 302
    history = html_of(secretary.get(f"/admin/events/event/{conference.pk}/history/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Mitschnitt der Podiumsdiskussion" in history
    first = Version.objects.get_for_object(conference).last()
    restore_url = f"/admin/events/event/{conference.pk}/history/{first.pk}/"
    restore = {}
    for name, value in form_fields(html_of(secretary.get(restore_url)), "event_form"):
        restore.setdefault(name, []).append(value)
    assert secretary.post(restore_url, restore).status_code == 302
    assert Material.objects.get(event=conference).title_de == "Mitschnitt"
