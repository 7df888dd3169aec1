"""Text as the search compares it, in pure functions (no database): folding, query words, extracts.

Folding (events/folding.py, the site's one folding) makes a text comparable whatever its accents
and case: "Trèves" → "treves", "Saarbrücken" → "saarbrucken", "Straße" → "strasse". German writes
ä ö ü as ae oe ue where umlauts are not at hand ("Saarbruecken"), so a document also carries that
spelling of each of its words with an umlaut (``document_folding``): both spellings of a query
find it.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from events.folding import GERMAN_UMLAUTS, fold, fold_char, german_spelling

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A query shorter than this (after folding) finds too much to be of use.
MIN_WORD_LENGTH = 2
MAX_WORDS = 8


def document_folding(text):
    """The folded text, followed by the umlaut-free German spelling of each word that has an
    umlaut (once): what the search compares a query with."""
    extra = []
    for word in dict.fromkeys(WORD.findall(text)):
        if any(char in GERMAN_UMLAUTS for char in word):
            extra.append(german_spelling(word))
    return " ".join([fold(text), *extra])


def query_words(query):
    """The words of a visitor's query, folded, without repeats, at most MAX_WORDS: what is left
    of "  Trèves, Trèves!! " is ["treves"]; of "?!" or "a", nothing."""
    words = []
    for match in WORD.finditer(query):
        word = fold(match.group()).strip("-'’")
        if len(word) >= MIN_WORD_LENGTH and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _folded_with_positions(text):
    """The folded text and, for each of its characters, the position of the character of
    ``text`` it comes from."""
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in fold_char(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def _spans(text, alternatives, fuzzy=True):
    """Where in ``text`` the alternatives of each query word occur, as (start, end) positions of
    ``text``: as written, folded; else the word of the text the alternative is a beginning of
    ("arbeitsgruppe" in "Arbeitsgruppen"), or, with ``fuzzy``, the closest word (a typo:
    "sarbrucken")."""
    folded, positions = _folded_with_positions(text)
    spans = []
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(folded)]
    for alternative in alternatives:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(alternative), folded)]
        if not found and len(alternative) >= 4:
            stem = alternative[: max(4, len(alternative) - 2)]
            found = [(start, end) for start, end, word in words if word.startswith(stem)]
            if not found and fuzzy:
                close = set(difflib.get_close_matches(alternative, {w for _s, _e, w in words}, n=3, cutoff=0.8))
                found = [(start, end) for start, end, word in words if word in close]
        for start, end in found:
            # Whole words of the original text are marked, even when a part matched.
            while start > 0 and folded[start - 1].isalnum():
                start -= 1
            while end < len(folded) and folded[end].isalnum():
                end += 1
            spans.append((positions[start], positions[end - 1] + 1))
    return sorted(set(spans))


def find_spans(text, terms, fuzzy=True):
    """The spans of ``text`` matching any alternative of any term (a term: a list of alternatives)."""
    return _spans(text, [alternative for term in terms for alternative in term], fuzzy=fuzzy)


def extract(text, terms, length=220):
    """A short extract of ``text`` around the first query word found, the matched words in
    <mark>, HTML-escaped; "" when none is found. ``text`` holds one field or paragraph per line:
    the extract is taken from one line, the first matching one of some length (a sentence rather
    than a city's name), else the first matching one. ``terms``: per query word, its
    alternatives (the word and the place names equivalent to it), folded."""
    lines = text.split("\n")
    # The lines where a word is found as written first; only if none, those with a close word
    # (a typo's: difflib, slow to ask of every line).
    found = [(line, spans) for line in lines if (spans := find_spans(line, terms, fuzzy=False))]
    found = found or [(line, spans) for line in lines if (spans := find_spans(line, terms))]
    if not found:
        return ""
    line, spans = next(((line, spans) for line, spans in found if len(line) >= 60), found[0])
    first = spans[0][0]
    begin = max(0, first - length // 3)
    if begin:
        space = line.find(" ", begin - 1)
        begin = space + 1 if 0 <= space < first else begin
    end = min(len(line), begin + length)
    if end < len(line):
        space = line.rfind(" ", begin, end)
        end = space if space > first else end
    parts, at = [], begin
    for start, stop in spans:
        if start < at or stop > end:
            continue
        parts.append(escape(line[at:start]))
        parts.append(f"<mark>{escape(line[start:stop])}</mark>")
        at = stop
    parts.append(escape(line[at:end]))
    prefix = "… " if begin else ""
    suffix = " …" if end < len(line) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


def mark(text, terms):
    """``text`` HTML-escaped, the words matching the query in <mark> (for titles)."""
    parts, at = [], 0
    for start, stop in find_spans(text, terms):
        if start < at:
            continue
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        at = stop
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))
