"""Text folded for searching — the one folding of the site, used by the public search (search/)
and the admin's searches (events/admin/search.py): accents and case do not matter, nor how German
umlauts are typed. "treves" finds "Trèves", "saarbrucken" and "Saarbruecken" find "Saarbrücken",
"muller" finds "Müller".

- ``fold``: lower case, accents and ligatures removed: "Lëtzebuerg" → "letzebuerg", "Straße" →
  "strasse", "Œuvre" → "oeuvre". The search documents and the search's query words are folded so.
- German writes ä ö ü as ae oe ue where umlauts are not at hand ("Saarbruecken"): the search
  documents carry that spelling too (``german_spelling``), and a query word typed so is also
  looked for without it (``without_german_spelling``).
- ``comparable``: ``fold``, then ae/oe/ue as a/o/u — what the admin's field searches compare, on
  both sides, in the database too: ``Folded`` is its database expression, on PostgreSQL with
  ``translate()`` and ``replace()`` (no extension needed; capitals are translated too, as
  ``lower()`` under a "C" locale leaves them), on SQLite with ``comparable`` itself, registered as
  the SQL function ``quattropole_fold`` on each new connection (events/apps.py), since SQLite's
  ``lower()`` knows ASCII only and it has no ``translate()``.
"""

import functools
import unicodedata

from django.db.models import Func, TextField

# Letters that decomposition (NFKD) does not take apart.
SPECIAL_LETTERS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}
GERMAN_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
DIGRAPHS = [("ae", "a"), ("oe", "o"), ("ue", "u")]

# The database's folding (``Folded``, PostgreSQL): the accented letters of the languages of the
# region, capitals included, as ``fold`` writes them; then the letters that become two.
LETTERS = {
    "a": "àáâãäåÀÁÂÃÄÅ",
    "c": "çÇ",
    "e": "èéêëÈÉÊË",
    "i": "ìíîïÌÍÎÏ",
    "n": "ñÑ",
    "o": "òóôõöøÒÓÔÕÖØ",
    "u": "ùúûüÙÚÛÜ",
    "y": "ýÿÝŸ",
}
EXPANSIONS = [("ß", "ss"), ("ẞ", "ss"), ("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe")]
ACCENTED = "".join(LETTERS.values())
PLAIN = "".join(plain * len(letters) for plain, letters in LETTERS.items())
SQLITE_FUNCTION = "quattropole_fold"


@functools.cache
def fold_char(char):
    """One character folded (kept: a text has few distinct characters, and the search's extracts
    fold long texts character by character)."""
    lowered = char.lower()
    if lowered in SPECIAL_LETTERS:
        return SPECIAL_LETTERS[lowered]
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text):
    """Lower case, accents and ligatures removed: "Lëtzebuerg" → "letzebuerg"."""
    return "".join(fold_char(char) for char in text)


def german_spelling(word):
    """The word as German writes it without umlauts ("Saarbrücken" → "saarbruecken"), folded."""
    return fold("".join(GERMAN_UMLAUTS.get(char, char) for char in word))


def without_german_spelling(word):
    """ "saarbruecken" → "saarbrucken": the folded spelling of a word typed with ue for ü."""
    for before, after in DIGRAPHS:
        word = word.replace(before, after)
    return word


def comparable(text):
    """``text`` as the admin's field searches compare it: "Saarbrücken" and "SAARBRUECKEN" are
    "saarbrucken"."""
    if text is None:
        return None
    return without_german_spelling(fold(text))


class Folded(Func):
    """The database expression of ``comparable`` for a field or expression."""

    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, output_field=TextField())

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        sql, params = f"TRANSLATE(LOWER({sql}), %s, %s)", [*params, ACCENTED, PLAIN]
        for before, after in EXPANSIONS + DIGRAPHS:
            sql, params = f"REPLACE({sql}, %s, %s)", [*params, before, after]
        return sql, params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({sql})", params


def register_sqlite_function(sender, connection, **kwargs):
    """``connection_created`` receiver: SQLite learns ``comparable`` (deterministic, so it may be
    used in an index)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, comparable, deterministic=True)
