"""Issue 26, item 4: the events' documents that are not accessible are listed in the
accessibility statement by themselves (both languages, its JSON), with the event, the reason and
the alternative; those published before 23 September 2018 as outside the scope of the law. The
status and every page's footer follow a material's save at once, and a scheduled event's
appearance at its moment."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from events.models import Event
from materials import files
from materials.models import Material
from materials.pdf import tagged_pdf
from pages.models import ManualFinding
from tests.factories import EventFactory, conference_2017
from tests.helpers import html_of, url

from .test_accessibility_statement import CLEAN, footer, import_audit

pytestmark = pytest.mark.django_db

FULL, PARTIAL = "statement-status--full", "statement-status--partial"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clean_site(site_pages, audit_file, django_capture_on_commit_callbacks):
    """The demo's site pages, a clean audit and no open manual finding: fully compliant."""
    with django_capture_on_commit_callbacks(execute=True):
        ManualFinding.objects.all().delete()
        import_audit(audit_file(CLEAN))
    return conference_2017()


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def document(event, data, name, capture, **fields):
    with capture(execute=True):
        made = Material(event=event, **{"kind": "minutes", "language": "both", **fields})
        files.attach(made, ContentFile(data, name=name))
        made.save()
    return made


def statement(language):
    path = {"de": "/de/barrierefreiheit/", "fr": "/fr/accessibilite/"}[language]
    page = html_of(Client().get(path))
    return page[page.index('id="statement-status"') : page.index('id="statement-preparation"')]


def statement_json(language):
    return json.loads(Client().get(url("pages:accessibility_json", language)).content)


def test_an_untagged_pdf_is_listed_in_both_languages_and_makes_the_site_partially_compliant(
    clean_site, django_capture_on_commit_callbacks
):
    visitor = Client()
    assert "Barrierefreiheit: vollständig barrierefrei" in footer(visitor.get("/de/veranstaltungen/"))
    made = document(
        clean_site,
        tagged_pdf("Protokoll", ["1"], "de", tagged=False),
        "protokoll.pdf",
        django_capture_on_commit_callbacks,
        title_de="Protokoll der Konferenz",
        title_fr="Compte rendu de la conférence",
    )
    # Every page's footer at once, also one the page cache held.
    assert "Barrierefreiheit: teilweise barrierefrei" in footer(visitor.get("/de/veranstaltungen/"))
    german, french = statement("de"), statement("fr")
    assert PARTIAL in german and PARTIAL in french
    assert f'<a href="{made.file.url}">Protokoll der Konferenz</a></strong> (PDF)' in german
    assert ">Zuwanderung als Chance</a>" in german
    assert "Begründung: nicht getaggt (keine Struktur für Screenreader)" in german
    assert "Alternative: Auf Anfrage beim Sekretariat (kontakt@example.org, +49\u00a0681\u00a0000000)." in german
    assert f'<a href="{made.file.url}">Compte rendu de la conférence</a></strong> (PDF)' in french
    assert ">Immigrations\u00a0: une chance</a>" in french
    assert "non balisé" in french
    assert "Sur demande auprès du secrétariat (kontakt@example.org, +49\u00a0681\u00a0000000)." in french
    [listed] = statement_json("fr")["documents"]
    assert listed["title"] == "Compte rendu de la conférence"
    assert listed["url"] == f"http://testserver{made.file.url}"
    assert listed["alternative"] == "Sur demande auprès du secrétariat (kontakt@example.org, +49\u00a0681\u00a0000000)."
    assert statement_json("de")["status"] == "partial"

    # Replaced by a tagged PDF: no longer listed, fully compliant again everywhere.
    with django_capture_on_commit_callbacks(execute=True):
        files.attach(made, ContentFile(tagged_pdf("Protokoll", ["1"], "de"), name="protokoll.pdf"))
        made.save()
    assert "Barrierefreiheit: vollständig barrierefrei" in footer(visitor.get("/de/veranstaltungen/"))
    assert "Protokoll der Konferenz" not in statement("de")


def test_an_office_document_is_listed_as_not_checkable_with_the_alternative_staff_give(
    clean_site, django_capture_on_commit_callbacks
):
    document(
        clean_site,
        docx(),
        "bericht.docx",
        django_capture_on_commit_callbacks,
        title_de="Bericht",
        alternative_fr="Version PDF balisée sur demande à l’adresse accueil@example.org",
    )
    french, german = statement("fr"), statement("de")
    assert "Bericht</a></strong> (DOCX)" in german
    assert "ein Office-Dokument, dessen Barrierefreiheit nicht geprüft werden kann" in german
    # Staff wrote the alternative in French only: the German page shows it, marked as French.
    assert 'Alternative: <span lang="fr">Version PDF balisée sur demande' in german
    assert "Alternative\u00a0: <span>Version PDF balisée sur demande" in french
    assert 'lang="de">Bericht</a>' in french  # its title only in German, marked so


def test_documents_published_before_23_september_2018_are_outside_the_scope_and_keep_the_status(
    clean_site, django_capture_on_commit_callbacks
):
    document(
        clean_site,
        docx(),
        "protokoll-2017.docx",
        django_capture_on_commit_callbacks,
        title_de="Protokoll 2017",
        published_on=datetime.date(2018, 9, 22),
    )
    german = statement("de")
    assert FULL in german
    scope = german[german.index('id="statement-out-of-scope"') :]
    assert "Protokoll 2017</a>" in scope
    assert "Office-Dateiformate, die vor diesem Datum veröffentlicht wurden" in scope
    data = statement_json("de")
    assert (data["status"], data["documents"]) == ("full", [])
    assert [d["title"] for d in data["documents_out_of_scope"]] == ["Protokoll 2017"]
    # One day later, it is within the scope.
    with django_capture_on_commit_callbacks(execute=True):
        made = Material.objects.get()
        made.published_on = datetime.date(2018, 9, 23)
        made.save()
    german = statement("de")
    assert PARTIAL in german and 'id="statement-out-of-scope"' not in german


def test_a_registrants_only_document_is_listed_without_its_address(clean_site, django_capture_on_commit_callbacks):
    made = document(
        clean_site,
        tagged_pdf("Folien", ["1"], "de", tagged=False),
        "folien.pdf",
        django_capture_on_commit_callbacks,
        title_de="Folien für Teilnehmende",
        access="registrants",
    )
    german = statement("de")
    assert "<span>Folien für Teilnehmende</span>" in german
    assert made.file.url not in german
    assert "Nur für die Angemeldeten der Veranstaltung" in german
    [listed] = statement_json("de")["documents"]
    assert (listed["url"], listed["access"]) == (None, "registrants")


def test_the_documents_of_an_unpublished_event_are_not_listed(clean_site, django_capture_on_commit_callbacks):
    document(clean_site, docx(), "entwurf.docx", django_capture_on_commit_callbacks, title_de="Entwurf des Berichts")
    with django_capture_on_commit_callbacks(execute=True):
        clean_site.status = Event.Status.DRAFT
        clean_site.save()
    german = statement("de")
    assert "Entwurf des Berichts" not in german
    assert "Barrierefreiheit: vollständig barrierefrei" in footer(Client().get("/de/veranstaltungen/"))


def test_a_scheduled_events_document_changes_every_footer_when_the_event_appears(
    clean_site, django_capture_on_commit_callbacks, time_machine
):
    """No save happens at an event's "publish at" moment, yet its documents then count: every
    page's footer says so from that moment, in both languages, also pages the cache held."""
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    scheduled = EventFactory(title_de="Grenzgänger-Forum", publish_at=now + datetime.timedelta(hours=2))
    document(
        scheduled,
        tagged_pdf("Programm", ["1"], "de", tagged=False),
        "programm.pdf",
        django_capture_on_commit_callbacks,
        title_de="Programm",
    )
    visitor = Client()
    for path in ("/de/veranstaltungen/", "/fr/"):  # rendered, and kept by the page cache
        assert "Grenzgänger-Forum" not in html_of(visitor.get(path))
    assert "Barrierefreiheit: vollständig barrierefrei" in footer(visitor.get("/de/veranstaltungen/"))
    assert "Accessibilité\u00a0: totalement conforme" in footer(visitor.get("/fr/"))

    time_machine.move_to(scheduled.publish_at, tick=False)
    assert "Grenzgänger-Forum" in html_of(visitor.get("/de/veranstaltungen/"))
    assert "Barrierefreiheit: teilweise barrierefrei" in footer(visitor.get("/de/veranstaltungen/"))
    assert "Accessibilité\u00a0: partiellement conforme" in footer(visitor.get("/fr/"))
    assert PARTIAL in statement("de")


def test_staff_see_in_the_event_form_which_documents_the_statement_lists(
    secretary, clean_site, django_capture_on_commit_callbacks
):
    document(clean_site, docx(), "bericht.docx", django_capture_on_commit_callbacks, title_de="Bericht")
    document(
        clean_site,
        docx(),
        "alt.docx",
        django_capture_on_commit_callbacks,
        title_de="Alt",
        published_on=datetime.date(2017, 11, 23),
    )
    form = html_of(secretary.get(f"/admin/events/event/{clean_site.pk}/change/", HTTP_ACCEPT_LANGUAGE="de"))
    assert form.count("In der Erklärung zur Barrierefreiheit als nicht barrierefreier Inhalt aufgeführt") == 1
    assert form.count("als nicht in den Geltungsbereich des Gesetzes fallend aufgeführt") == 1
    assert "Veröffentlicht am" in form
