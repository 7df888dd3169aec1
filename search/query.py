"""Finding events for a visitor's query, in both languages at once, on PostgreSQL and SQLite.

A query is a list of terms (its words, folded: search.text); a term is a list of alternatives —
the word, the other names of the place it names (exonyms: ``Place``) and, on PostgreSQL, the
words of the documents it stands for (``Word``: the longer words it is part of, "fest" in
"Sommerfest"; for a word no document holds, the closest ones by trigram similarity: typos such
as "Zuwanderng", "Sarbrücken", "Luxemburgg"). An event is found when each term matches its
German or its French texts:

- on SQLite, when an alternative occurs in a language's folded text (accents, case and the
  German ue/oe/ae spellings do not count: "Treves" finds "Trèves", "saarbruecken" "Saarbrücken");
- on PostgreSQL by full-text search of the document's ``keys`` (search/index.py): an alternative
  as German or French stem it ("Konferenzen" finds "Konferenz", "ville" finds "villes") or the
  beginning of a word, in one GIN-indexed column, so that a word most events hold is found in
  one index scan of small rows (docs/performance.md).

On PostgreSQL a word of five letters or more close to a place's name by trigram similarity also
stands for that place ("Sarbrücken" finds "Sarrebruck" too: ``terms_of``). Trigram similarity
is asked of short words (place names, the vocabulary), never of the documents: word similarity
against every matching document is what made a search of 10,000 events take tens of seconds.

Results come by relevance, then by date. Relevance on PostgreSQL: the full-text rank of the
titles (both languages), read from a small vector; on SQLite: found in the visitor's own
language first.
"""

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from events.folding import without_german_spelling

from .index import CONFIGURATIONS
from .models import PlaceName, Word
from .text import find_spans

# Trigram similarity only for words this long: shorter ones are too alike to tell apart.
FUZZY_MIN_LENGTH = 5
# How close (difflib's ratio) a misspelt word must be to a place name to stand for it.
FUZZY_NAME_CUTOFF = 0.8
PART = re.compile(r"\w+")
# A query word this long is looked up as part of longer words (search/models.py's ``Word``), at most
# this many of them (the shortest: "fest" in "sommerfest" before "sommerfestival").
PART_MIN_LENGTH = 3
MAX_PART_ALTERNATIVES = 60
MAX_VOCABULARY_ROWS = 2000


def terms_of(words):
    """Each query word with its alternatives: the other names of the place it names, in one
    query. On PostgreSQL a word also names a place when it is close to one of its names by
    trigram similarity ("Sarbrücken" names Saarbrücken, and so finds "Sarrebruck" too)."""
    if not words:
        return []
    candidates = {word: {word, without_german_spelling(word)} for word in words}
    named = Q(place__names__folded__in={c for found in candidates.values() for c in found})
    fuzzy = [word for word in words if len(word) >= FUZZY_MIN_LENGTH] if is_postgresql() else []
    for word in fuzzy:
        named |= Q(place__names__folded__trigram_similar=word)
    rows = PlaceName.objects.filter(named).values_list("place__names__folded", "folded").distinct()
    equivalents = {}
    for known, other in rows:
        equivalents.setdefault(known, set()).add(other)
    terms = []
    for word in words:
        names = {name for name in candidates[word] if name in equivalents}
        if word in fuzzy and not names:
            names = set(difflib.get_close_matches(word, equivalents, n=1, cutoff=FUZZY_NAME_CUTOFF))
        alternatives = [word]
        for name in sorted(names):
            alternatives += sorted(equivalents[name] - set(alternatives))
        terms.append(alternatives)
    if is_postgresql():
        for alternatives, more in zip(terms, vocabulary_alternatives(words), strict=True):
            alternatives += [other for other in more if other not in alternatives]
    return terms


def vocabulary_alternatives(words):
    """For each query word, on PostgreSQL, the words of the documents (``Word``, in one query)
    it stands for besides itself: the longer words it is part of ("fest" → "sommerfest": German
    joins its words, and the full-text search finds whole words and their beginnings only), and,
    for a word of five letters or more that is no word of the documents, nor part of one, the
    closest words by trigram similarity (typos: "zuwanderng" → "zuwanderung")."""
    parts = [word for word in words if len(word) >= PART_MIN_LENGTH and PART.fullmatch(word)]
    fuzzy = [word for word in parts if len(word) >= FUZZY_MIN_LENGTH]
    if not parts:
        return [[] for _word in words]
    condition = Q()
    for word in parts:
        condition |= Q(word__contains=word)
    for word in fuzzy:
        condition |= Q(word__trigram_similar=word)
    known = list(Word.objects.filter(condition).values_list("word", flat=True)[:MAX_VOCABULARY_ROWS])
    found = []
    for word in words:
        if word not in parts:
            found.append([])
            continue
        longer = sorted((other for other in known if word in other and other != word), key=len)
        more = longer[:MAX_PART_ALTERNATIVES]
        if word in fuzzy and word not in known and not longer:
            more = difflib.get_close_matches(word, known, n=3, cutoff=FUZZY_NAME_CUTOFF)
        found.append(more)
    return found


def is_postgresql():
    return connection.vendor == "postgresql"


def prefix_query(word):
    """The PostgreSQL query of the words that ``word`` begins ("saarbr" finds "saarbrucken"),
    in the "simple" configuration (no stemming): each part of a word with a hyphen or an
    apostrophe a prefix of its own. Only letters and digits reach the query's syntax."""
    return SearchQuery(" & ".join(f"{part}:*" for part in PART.findall(word)), config="simple", search_type="raw")


def term_query(term):
    """On PostgreSQL: the full-text query of one term — any alternative, as German and French
    stem it, or as the beginning of a word."""
    query = None
    for alternative in term:
        for one in (
            *(SearchQuery(alternative, config=config, search_type="plain") for config in CONFIGURATIONS.values()),
            prefix_query(alternative),
        ):
            query = one if query is None else query | one
    return query


def term_condition(term, code):
    """The condition under which ``term`` occurs in the folded text of language ``code`` (SQLite)."""
    condition = Q()
    for alternative in term:
        condition |= Q(**{f"search_document__folded_{code}__contains": alternative})
    return condition


def found_in(terms, code):
    """Every term occurs in the folded text of language ``code`` (SQLite)."""
    condition = Q()
    for term in terms:
        condition &= term_condition(term, code)
    return condition


def found(terms):
    """The condition of an event that matches every term, each in one language or the other
    (the public search's and the admin's: search/admin.py). On PostgreSQL one full-text match
    of the document's keys (search/index.py), which its GIN index answers."""
    if is_postgresql():
        query = None
        for term in terms:
            query = term_query(term) if query is None else query & term_query(term)
        return Q(search_document__keys=query)
    condition = Q()
    for term in terms:
        condition &= term_condition(term, "de") | term_condition(term, "fr")
    return condition


def matching(events, terms, language):
    """``events`` that match every term in one language or the other, with their ``relevance``:
    on PostgreSQL the full-text rank of the titles (both languages) for any term, on SQLite
    whether they were found in ``language``'s own texts. Which language an event was found in
    is told by ``found_in_language`` from its document, for the page's events only."""
    events = events.filter(found(terms))
    if not is_postgresql():
        own = Case(When(found_in(terms, language), then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        return events.annotate(relevance=own)
    query = None
    for term in terms:
        query = term_query(term) if query is None else query | term_query(term)
    return events.annotate(relevance=SearchRank(F("search_document__title_vector"), query))


def found_in_language(document, terms, code):
    """Whether every term shows in the texts of language ``code`` of ``document`` (as the
    extracts find words: search.text.find_spans)."""
    text = f"{getattr(document, f'title_{code}')}\n{getattr(document, f'text_{code}')}"
    return all(find_spans(text, [term]) for term in terms)
