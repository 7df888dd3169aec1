"""Finding events for a visitor's query, in both languages at once, on PostgreSQL and SQLite.

A query is a list of terms (its words, folded: search.text); a term is a list of alternatives —
the word, and the other names of the place it names (exonyms: ``Place``). An event is found
when each term matches its German or its French document. A term matches a language's document:

- on both databases, when an alternative occurs in the folded text (accents, case and the
  German ue/oe/ae spellings do not count: "Treves" finds "Trèves", "saarbruecken" "Saarbrücken");
- on PostgreSQL also by full-text search in that language's configuration (stemming:
  "Konferenzen" finds "Konferenz", "ville" finds "villes").

On PostgreSQL a word of five letters or more close to a place's name by trigram similarity stands
for that place (typos: "Sarbrücken", "Luxemburgg": ``terms_of``). Trigram similarity is asked of
the short place names, not of the documents: word similarity against every matching document is
what made a search of 10,000 events take tens of seconds.

Results come by relevance, then by date. Relevance on PostgreSQL: the full-text rank of both
languages (titles count most); on SQLite: found in the visitor's own language first.
"""

import difflib

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Q, Value, When

from events.folding import without_german_spelling

from .index import CONFIGURATIONS, LANGUAGES
from .models import PlaceName

# Trigram similarity only for words this long: shorter ones are too alike to tell apart.
FUZZY_MIN_LENGTH = 5
# How close (difflib's ratio) a misspelt word must be to a place name to stand for it.
FUZZY_NAME_CUTOFF = 0.8


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
    return terms


def is_postgresql():
    return connection.vendor == "postgresql"


def term_condition(term, code):
    """The condition under which ``term`` matches the document of language ``code``."""
    condition = Q()
    for alternative in term:
        condition |= Q(**{f"search_document__folded_{code}__contains": alternative})
        if is_postgresql():
            query = SearchQuery(alternative, config=CONFIGURATIONS[code], search_type="plain")
            condition |= Q(**{f"search_document__vector_{code}": query})
    return condition


def found_in(terms, code):
    """Every term matches the document of language ``code``."""
    condition = Q()
    for term in terms:
        condition &= term_condition(term, code)
    return condition


def found(terms):
    """The condition of an event that matches every term, each in one language or the other
    (the public search's and the admin's: search/admin.py)."""
    condition = Q()
    for term in terms:
        condition &= term_condition(term, "de") | term_condition(term, "fr")
    return condition


def matching(events, terms, language):
    """``events`` that match every term in one language or the other, with ``in_language``
    (found in ``language``'s own texts) and ``relevance``."""
    condition = found(terms)
    in_language = ExpressionWrapper(found_in(terms, language), output_field=BooleanField())
    events = events.filter(condition).annotate(in_language=in_language)
    if not is_postgresql():
        own = Case(When(found_in(terms, language), then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        return events.annotate(relevance=own)
    alternatives = [alternative for term in terms for alternative in term]
    rank = Value(0.0, output_field=FloatField())
    for code in LANGUAGES:
        query = None
        for alternative in alternatives:
            one = SearchQuery(alternative, config=CONFIGURATIONS[code], search_type="plain")
            query = one if query is None else query | one
        rank = rank + SearchRank(F(f"search_document__vector_{code}"), query)
    return events.annotate(relevance=rank)
