"""The search documents: one per event, rebuilt from the event's texts whenever something it
shows is saved (search/receivers.py), in a fixed number of queries however many events.

A save outside ``collecting()`` rebuilds its events' documents at once. Inside it (the admin's
saves of an event with its programme: search/admin.py) the events are noted and their documents
rebuilt once, when the block ends — still inside the transaction that wraps it, so the commit
that makes the edit visible makes its document visible too: a search is never staler than the
data. A rebuild reads the events as they are, so rebuilding an event twice, or one whose change
was rolled back, does no harm.
"""

import html
import re
import threading
from collections import defaultdict
from contextlib import contextmanager
from functools import partial

import markdown
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Func, Value
from django.utils.html import strip_tags

from events.models import Event, programme_prefetch

from .models import MAX_WORD_LENGTH, SearchDocument, Word
from .text import document_folding

LANGUAGES = ("de", "fr")
# PostgreSQL's text search configurations: stemming of each language (a word is looked up as
# either language stems it: search/query.py).
CONFIGURATIONS = {"de": "german", "fr": "french"}
BATCH = 500
# The words of the vocabulary (``Word``): letters and digits, as the "simple" configuration reads them.
WORD = re.compile(r"\w+")


def texts_of(event, code):
    """The title and the other texts of ``event`` in language ``code`` as written (no fallback:
    each language's document holds what that language says)."""

    def value(obj, field):
        return (getattr(obj, f"{field}_{code}", None) or "").strip() if obj is not None else ""

    parts = [value(event, "kicker"), value(event, "teaser"), plain(value(event, "description"))]
    parts.append(value(event.category, "name"))
    # Lines of their own: an extract shows one line (search.text.extract).
    parts.append(", ".join(name for city in event.cities.all() if (name := value(city, "name"))))
    if event.venue_id:
        parts.append(", ".join(part for name in ("name", "locality", "country") if (part := value(event.venue, name))))
    people = [event.moderator, event.host]
    for slot in event.programme:
        parts += [value(slot, "title"), plain(value(slot, "description"))]
        for workshop in slot.workshops.all():
            parts += [value(workshop, "title"), plain(value(workshop, "description"))]
        people += [link.person for link in slot.speaker_links]
    for person in dict.fromkeys(p for p in people if p is not None):
        parts.append(
            ", ".join(part for part in (person.name, value(person, "role"), value(person, "affiliation")) if part)
        )
    return value(event, "title"), "\n".join(part for part in parts if part)


def plain(text):
    """The text of a Markdown field as a reader sees it: no asterisks, no link addresses; one
    line per paragraph."""
    if not text:
        return ""
    rendered = html.unescape(strip_tags(markdown.markdown(text)))
    return "\n".join(" ".join(line.split()) for line in rendered.split("\n\n") if line.strip())


def document_of(event):
    fields = {}
    for code in LANGUAGES:
        title, text = texts_of(event, code)
        fields[f"title_{code}"], fields[f"text_{code}"] = title, text
        fields[f"folded_{code}"] = document_folding(f"{title}\n{text}")
    return SearchDocument(event=event, **fields)


_pending = threading.local()


def changed(event_ids, using=DEFAULT_DB_ALIAS):
    """The documents of these events must be rebuilt, in the database ``using`` (where they were
    saved): at once, or at the end of ``collecting()``."""
    pending = getattr(_pending, "ids", None)
    if pending is None:
        rebuild(event_ids, using=using)
    else:
        pending[using].update(event_ids)


@contextmanager
def collecting():
    """Within the block the events whose documents must change are collected, and rebuilt once
    as it ends, inside the caller's transaction: wrap it in ``transaction.atomic()`` (of the
    database saved to) so that the rebuild comes before the commit. Nested blocks leave the
    rebuild to the outermost one. When the block ends with an error its transaction is rolled
    back by the atomic block around it; should a caller catch the error and commit anyway, the
    documents are rebuilt then."""
    if getattr(_pending, "ids", None) is not None:
        yield
        return
    _pending.ids = defaultdict(set)  # {database alias: event ids}
    try:
        yield
    except BaseException:
        pending, _pending.ids = _pending.ids, None
        for using, ids in pending.items():
            if ids:
                transaction.on_commit(partial(rebuild, ids, using=using), using=using)
        raise
    pending, _pending.ids = _pending.ids, None
    for using, ids in pending.items():
        if ids:
            rebuild(ids, using=using)


def rebuild(event_ids, using=DEFAULT_DB_ALIAS):
    """Writes the documents of these events anew (those deleted meanwhile are left out), in the
    database ``using`` (an alias of ``DATABASES``: ``migrate --database``)."""
    event_ids = sorted(set(event_ids))
    for first in range(0, len(event_ids), BATCH):
        batch = event_ids[first : first + BATCH]
        events = (
            Event.objects.using(using)
            .filter(pk__in=batch)
            .select_related("category", "venue", "moderator", "host")
            .prefetch_related("cities", programme_prefetch())
        )
        documents = [document_of(event) for event in events]
        SearchDocument.objects.using(using).bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["event"],
            update_fields=[f"{name}_{code}" for name in ("title", "text", "folded") for code in LANGUAGES],
        )
        if connections[using].vendor == "postgresql":
            SearchDocument.objects.using(using).filter(pk__in=[d.event_id for d in documents]).update(
                keys=keys_expression(), title_vector=title_vector_expression()
            )
            words = {
                word for d in documents for code in LANGUAGES for word in WORD.findall(getattr(d, f"folded_{code}"))
            }
            Word.objects.using(using).bulk_create(
                [Word(word=word) for word in sorted(words) if len(word) <= MAX_WORD_LENGTH], ignore_conflicts=True
            )


def unaccented(name):
    return Func(F(name), function="unaccent")


def keys_expression():
    """What finds a document on PostgreSQL: its words stemmed as German and as French (over the
    unaccented titles and the folded texts of both languages, in both configurations: a French
    visitor's word may be in the German text), and as they are ("simple": prefixes of words),
    without positions or weights (``strip``), so that the column stays small."""
    texts = [unaccented(f"title_{code}") for code in LANGUAGES] + [F(f"folded_{code}") for code in LANGUAGES]
    vector = None
    for config in (*CONFIGURATIONS.values(), "simple"):
        for text in texts:
            one = SearchVector(text, config=Value(config))
            vector = one if vector is None else vector + one
    return Func(vector, function="strip", output_field=SearchVectorField())


def title_vector_expression():
    """What ranks a document on PostgreSQL: its titles, stemmed and as they are."""
    vector = None
    for config in (*CONFIGURATIONS.values(), "simple"):
        for code in LANGUAGES:
            one = SearchVector(unaccented(f"title_{code}"), config=Value(config))
            vector = one if vector is None else vector + one
    return vector


def rebuild_all():
    rebuild(Event.objects.values_list("pk", flat=True))
