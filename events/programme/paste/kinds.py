"""The kind of a programme slot, guessed from its titles — a proposal staff can change.

Words are matched without accents or case, in French and German, in this order (the
first rule that matches wins, so "Table ronde de clôture" is a round table, "Synthèse des
ateliers" a synthesis and "Mittagspause" a meal):

================  ===========================================================================
synthesis         Synthèse, Mise en commun, Restitution, Bilan / Zusammenfassung, Ergebnisse
round_table       Table ronde / Podium(sdiskussion), Abschlussrunde, Gesprächsrunde, Runder Tisch
opening           Ouverture, Mot d'accueil, Mot de bienvenue, Allocution / Eröffnung, Begrüßung,
                  Grußwort
reception         Accueil, Enregistrement / Empfang, Registrierung
meal              Déjeuner, Dîner, Repas, Buffet, Pique-nique / Mittagessen, Abendessen, Imbiss,
                  Picknick, Mittagspause
workshops         Atelier(s), Workshop / Arbeitsgruppe(n), Werkstatt
closing           Clôture, Conclusion, Mot de la fin / Abschluss…, Schlusswort, Verabschiedung
discussion        Échanges, Discussion, Débat, Questions / Austausch, Diskussion, Fragen, Gespräch
talk              Conférence, Exposé, Intervention / Vortrag, Referat, Keynote
other             Pause / Kaffeepause
================  ===========================================================================

A title none of them matches is a *talk* when people are named after it, *workshops* when
workshops are listed under it, else *other*.
"""

import re

from django.utils.translation import gettext_lazy as _

from .content import WORKSHOP_WORDS, fold

# The values and labels of ProgrammeSlot.Kind (a test keeps them equal; this module does
# not import the models).
KIND_LABELS = {
    "reception": _("Reception"),
    "opening": _("Opening"),
    "talk": _("Talk"),
    "discussion": _("Discussion"),
    "workshops": _("Workshops"),
    "meal": _("Meal"),
    "synthesis": _("Synthesis"),
    "round_table": _("Round table"),
    "closing": _("Closing"),
    "other": _("Other"),
}

_RULES = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("synthesis", r"\bsynthese|\bmise en commun|\brestitution|\bbilan\b|zusammenfassung|\bergebnisse\b"),
        ("round_table", r"\btable.ronde|podium|abschlussrunde|gesprachsrunde|diskussionsrunde|\brunder tisch"),
        (
            "opening",
            r"\bouverture|\bmot d.accueil|\bmot de bienvenue|\ballocution|eroffnung|\bbegrussung|\bgrusswort",
        ),
        ("reception", r"\baccueil|\benregistrement|\bempfang|\bregistrierung"),
        (
            "meal",
            r"\bdejeuner|\bdiner\b|\brepas\b|\bbuffet|\bpique.nique|mittagessen|abendessen|\bimbiss|picknick"
            r"|mittagspause",
        ),
        ("workshops", WORKSHOP_WORDS.pattern),
        ("closing", r"\bcloture|\bconclusion|\bmot de la fin|\babschluss|\bschlusswort|\bverabschiedung"),
        ("discussion", r"\bechange|\bdiscussion|\bdebat|\bquestions\b|austausch|diskussion|\bfragen\b|\bgesprach"),
        ("talk", r"\bconference\b|\bexpose\b|\bintervention\b|\bvortrag|\breferat\b|\bkeynote"),
        ("other", r"pause\b"),
    ]
]


def kind_of_title(title):
    """The kind one title's words suggest, or ``None``."""
    folded = fold(title or "")
    for kind, pattern in _RULES:
        if pattern.search(folded):
            return kind
    return None


def guess_kind(titles, has_people=False, has_workshops=False):
    """``(kind, suggestions)``: the kind for a slot with these titles (one per language),
    and what each title suggested (``{language: kind or None}``). When the titles suggest
    different kinds, the kind is ``"other"`` and the caller names the problem."""
    suggestions = {language: kind_of_title(title) for language, title in titles.items() if title}
    found = {kind for kind in suggestions.values() if kind}
    if len(found) == 1:
        return found.pop(), suggestions
    if len(found) > 1:
        return "other", suggestions
    if has_people:
        return "talk", suggestions
    if has_workshops:
        return "workshops", suggestions
    return "other", suggestions
