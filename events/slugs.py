"""Slugs (the last part of an event's address) as each language writes them.

A German address spells ä, ö, ü and ß as ae, oe, ue and ss ("forum-mobilitaet-und-kultur-der-
vier-staedte"), never dropping the dots ("mobilitat"); French and other letters lose their
accents as usual ("rencontre-citoyenne-a-metz"). The admin's pre-filled slug follows the same rule
in the browser (static/js/admin-slugs.js): what staff see while typing is what the server makes.

Only new slugs follow it: a slug once saved stays, whatever its spelling, so that published
addresses keep working.
"""

import unicodedata

from django.utils.text import slugify

GERMAN_SPELLING = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"}
)


def slug_from_title(title, language, max_length=200):
    """The slug of ``title`` in ``language`` ("de", "fr"), at most ``max_length`` characters."""
    text = unicodedata.normalize("NFC", title or "")  # "ü" typed as u + combining diaeresis too
    if language == "de":
        text = text.translate(GERMAN_SPELLING)
    return slugify(text)[:max_length].strip("-")


def unique_slug(slug, is_taken, max_length=200):
    """``slug``, or ``slug-2``, ``slug-3`` … (shortened to fit) when ``is_taken(candidate)``."""
    candidate, number = slug, 1
    while is_taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
