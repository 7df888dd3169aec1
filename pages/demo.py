"""The demo's site pages: a complete, clearly marked example of every legal page, in German and
French, with invented data of the publisher (``Organisation.is_example`` shows a notice on the
pages until real data is entered). Idempotent: what staff changed stays.

The accessibility statement's status is not invented: it stays "not compliant (not audited yet)"
until `make audit` has run and its results are imported (``manage.py import_audit``)."""

import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from . import sign_language
from .accessibility import refresh_status
from .models import AccessibilityStatement, ManualFinding, Organisation, SignLanguageVideo, SitePage

EXAMPLE = "Beispiel"

ORGANISATION = {
    "name": "QuattroPole e.V.",
    "legal_form_de": "eingetragener Verein (Beispiel)",
    "legal_form_fr": "association de droit allemand (exemple)",
    "street": "Beispielstraße 1",
    "postal_code": "66111",
    "locality_de": "Saarbrücken",
    "locality_fr": "Sarrebruck",
    "country_de": "Deutschland",
    "country_fr": "Allemagne",
    "representatives_de": "Erika Beispiel (Vorsitzende)\nJean Exemple (stellvertretender Vorsitzender)",
    "representatives_fr": "Erika Beispiel (présidente)\nJean Exemple (vice-président)",
    "email": "kontakt@example.org",
    "phone": "+49 681 000000",
    "register_court_de": "Amtsgericht Saarbrücken (Beispiel)",
    "register_court_fr": "Tribunal d’instance (Amtsgericht) de Sarrebruck (exemple)",
    "register_number": "VR 0000",
    "publication_director": "Erika Beispiel",
    "host_de": "Beispiel-Hosting GmbH\nMusterweg 2, 10115 Berlin, Deutschland\n+49 30 000000",
    "host_fr": "Beispiel-Hosting GmbH\nMusterweg 2, 10115 Berlin, Allemagne\n+49 30 000000",
    "data_protection_officer": (
        "Datenschutzbeauftragte·r / délégué·e à la protection des données\ndatenschutz@example.org"
    ),
    "supervisory_authority": (
        "Unabhängiges Datenschutzzentrum Saarland\nFritz-Dobisch-Straße 12, 66111 Saarbrücken\n"
        "https://www.datenschutz.saarland.de/"
    ),
    "is_example": True,
}

PAGES = [
    {
        "kind": SitePage.Kind.LEGAL_NOTICE,
        "order": 10,
        "title_de": "Impressum",
        "title_fr": "Mentions légales",
        "summary_de": "Wer diese Website herausgibt: Anbieterkennzeichnung nach § 5 DDG und § 18 MStV.",
        "summary_fr": "Qui publie ce site\u202f: mentions légales selon l’article 6 de la LCEN.",
        "body_de": (
            "## Haftung für Links\n\nDiese Website verweist auf Seiten anderer Anbieter. Für deren Inhalte "
            "sind allein deren Anbieter verantwortlich."
        ),
        "body_fr": ("## Liens\n\nCe site renvoie à des sites d’autres éditeurs, seuls responsables de leur contenu."),
    },
    {
        "kind": SitePage.Kind.PRIVACY,
        "order": 20,
        "title_de": "Datenschutz",
        "title_fr": "Données personnelles",
        "summary_de": "Welche Daten diese Website verarbeitet, wozu, wie lange, und Ihre Rechte.",
        "summary_fr": "Quelles données ce site traite, pourquoi, combien de temps, et vos droits.",
        "body_de": (
            "## Rückmeldungen\n\nNachrichten über das Rückmeldeformular bewahren wir auf, solange wir sie "
            "bearbeiten, höchstens zwei Jahre."
        ),
        "body_fr": (
            "## Vos messages\n\nLes messages envoyés avec le formulaire de contact sont conservés le temps de "
            "les traiter, deux ans au plus."
        ),
    },
    {
        "kind": SitePage.Kind.ACCESSIBILITY,
        "order": 30,
        "title_de": "Erklärung zur Barrierefreiheit",
        "title_fr": "Déclaration d’accessibilité",
        "summary_de": "Wie barrierefrei diese Website ist, was noch nicht, und wie Sie uns Barrieren melden.",
        "summary_fr": (
            "Dans quelle mesure ce site est accessible, ce qui ne l’est pas encore, et comment nous le signaler."
        ),
        "body_de": "",
        "body_fr": "",
    },
    {
        "kind": SitePage.Kind.EASY_LANGUAGE,
        "order": 40,
        "title_de": "Leichte Sprache",
        "title_fr": "Facile à lire et à comprendre (FALC)",
        "summary_de": "Diese Website in Leichter Sprache.",
        "summary_fr": "Ce site en facile à lire et à comprendre.",
        "body_de": (
            "## Was ist QuattroPole?\n\nQuattroPole ist ein Verein.\n\nIm Verein sind 4 Städte:\n\n"
            "- Luxemburg\n- Metz\n- Saarbrücken\n- Trier\n\n"
            "Die Städte arbeiten zusammen.\n\n"
            "## Was finden Sie auf dieser Website?\n\nSie finden hier Veranstaltungen.\n\n"
            "Eine Veranstaltung ist zum Beispiel ein Treffen oder ein Vortrag.\n\n"
            "Sie können sich für manche Veranstaltungen anmelden.\n\n"
            "## Sie haben Fragen?\n\nSchreiben Sie uns eine E-Mail.\n\n"
            "Oder benutzen Sie das Formular für Rückmeldungen."
        ),
        "body_fr": (
            "## Qu’est-ce que QuattroPole\u00a0?\n\nQuattroPole est une association.\n\n"
            "Dans l’association, il y a 4 villes\u00a0:\n\n"
            "- Luxembourg\n- Metz\n- Sarrebruck\n- Trèves\n\n"
            "Les villes travaillent ensemble.\n\n"
            "## Que trouvez-vous sur ce site\u00a0?\n\nVous trouvez ici des événements.\n\n"
            "Un événement, c’est par exemple une rencontre ou une conférence.\n\n"
            "Pour certains événements, vous pouvez vous inscrire.\n\n"
            "## Vous avez une question\u00a0?\n\nÉcrivez-nous un courriel.\n\n"
            "Ou utilisez le formulaire de contact."
        ),
    },
]

SIGN_LANGUAGE_PAGE = {
    "kind": SitePage.Kind.SIGN_LANGUAGE,
    "order": 50,
    "title_de": "Gebärdensprache",
    "title_fr": "Langue des signes",
    "summary_de": "Diese Website erklärt in Deutscher Gebärdensprache (DGS).",
    "summary_fr": "Ce site expliqué en langue des signes française (LSF).",
    "body_de": (
        "In den Videos erklären wir in Deutscher Gebärdensprache, was Sie auf dieser Website finden und "
        "wie Sie sich zurechtfinden. Jedes Video hat Untertitel und eine Abschrift als Text.\n\n"
        "**Beispiel:** Das Video auf dieser Seite ist ein Platzhalter ohne Gebärden."
    ),
    "body_fr": (
        "Dans ces vidéos, nous expliquons en langue des signes française ce que vous trouvez sur ce site "
        "et comment vous y repérer. Chaque vidéo a des sous-titres et une transcription écrite.\n\n"
        "**Exemple\u202f:** la vidéo de cette page est un espace réservé, sans langue des signes."
    ),
}

# One small video (six seconds, generated once with ffmpeg) for both languages, with each
# language's captions and transcript.
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"
VIDEOS = [
    {
        "language": "de",
        "title": "Beispiel: Über diese Website in Deutscher Gebärdensprache",
        "captions": "beispiel.de.vtt",
        "transcript": (
            "Beispiel: Hier steht später ein Video in Deutscher Gebärdensprache.\n"
            "Es erklärt, was auf dieser Website steht und wie Sie sich zurechtfinden."
        ),
    },
    {
        "language": "fr",
        "title": "Exemple\u202f: ce site en langue des signes française",
        "captions": "beispiel.fr.vtt",
        "transcript": (
            "Exemple\u00a0: ici figurera une vidéo en langue des signes française.\n"
            "Elle explique ce que contient ce site et comment s’y repérer."
        ),
    },
]

FINDING = {
    "title_de": "Beispiel: Die Plakate der Veranstaltungen als PDF sind nicht barrierefrei.",
    "title_fr": "Exemple\u202f: les affiches des événements en PDF ne sont pas accessibles.",
    "description_de": "Die PDF-Dateien haben keine Tags und keine Lesereihenfolge.",
    "description_fr": "Les fichiers PDF n’ont ni balises ni ordre de lecture.",
    "alternative_de": "Alle Angaben der Plakate stehen auch als Text auf der Seite der Veranstaltung.",
    "alternative_fr": "Toutes les informations des affiches figurent aussi en texte sur la page de l’événement.",
    "criterion": "1.3.1",
    "reason": ManualFinding.Reason.NON_COMPLIANCE,
}


def load():
    """Creates what is missing; returns the pages."""
    organisation = Organisation.objects.filter(pk=1).first()
    if organisation is None:
        Organisation(**ORGANISATION).save()
    if not AccessibilityStatement.objects.filter(pk=1).exists():
        today = timezone.localdate()
        AccessibilityStatement(
            prepared_on=today,
            reviewed_on=today,
            method_de=(
                "Selbstbewertung (Beispiel): automatische Prüfung aller Seitentypen mit `make audit` "
                "(axe-core, pa11y, Lighthouse; bei 320 bis 1366 Pixel Breite, auf Deutsch und Französisch) "
                "und Prüfung von Hand mit Tastatur und Screenreader."
            ),
            method_fr=(
                "Auto-évaluation (exemple)\u202f: contrôle automatique de tous les types de pages avec "
                "`make audit` (axe-core, pa11y, Lighthouse\u202f; de 320 à 1366 pixels de large, en allemand "
                "et en français) et vérification manuelle au clavier et avec un lecteur d’écran."
            ),
            answer_days=14,
        ).save()
    pages = []
    for data in PAGES:
        page = SitePage.objects.filter(kind=data["kind"]).first()
        if page is None:
            page = SitePage(published=True, **data)
            page.full_clean()
            page.save()
        pages.append(page)
    pages.append(load_sign_language())
    if not ManualFinding.objects.filter(title_de=FINDING["title_de"]).exists():
        ManualFinding.objects.create(found_on=timezone.localdate() - datetime.timedelta(days=30), **FINDING)
    refresh_status()
    return pages


def load_sign_language():
    """The sign-language page with an example video in each language (files stored through the
    default storage, checked as an upload is)."""
    page = SitePage.objects.filter(kind=SitePage.Kind.SIGN_LANGUAGE).first()
    if page is not None:
        return page
    page = SitePage(published=True, **SIGN_LANGUAGE_PAGE)
    page.full_clean()
    page.save()
    for data in VIDEOS:
        video = SignLanguageVideo(page=page, language=data["language"], title=data["title"])
        video.transcript = data["transcript"]
        upload = ContentFile((DEMO_FILES / "beispiel.mp4").read_bytes(), name="beispiel.mp4")
        video.media_type = sign_language.video_type(upload).media_type
        captions = ContentFile((DEMO_FILES / data["captions"]).read_bytes(), name="untertitel.vtt")
        sign_language.check_captions(captions)
        video.video.save("beispiel.mp4", upload, save=False)
        video.captions.save(f"{data['language']}.vtt", captions, save=False)
        video.poster.save("poster.jpg", ContentFile((DEMO_FILES / "poster.jpg").read_bytes()), save=False)
        video.full_clean()
        video.save()
    return page
