"""The demo's site pages: a complete, clearly marked example of every legal page, in German and
French, with invented data of the publisher (``Organisation.is_example`` shows a notice on the
pages until real data is entered). Idempotent: what staff changed stays.

The accessibility statement's status is not invented: it stays "not compliant (not audited yet)"
until `make audit` has run and its results are imported (``manage.py import_audit``)."""

import datetime

from django.utils import timezone

from .accessibility import refresh_status
from .models import AccessibilityStatement, ManualFinding, Organisation, SitePage

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
    if not ManualFinding.objects.filter(title_de=FINDING["title_de"]).exists():
        ManualFinding.objects.create(found_on=timezone.localdate() - datetime.timedelta(days=30), **FINDING)
    refresh_status()
    return pages
