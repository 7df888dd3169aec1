"""Text folded for searching: accents and case do not matter, nor how German umlauts are typed.
"treves" finds "Trèves", "saarbrucken" and "Saarbruecken" find "Saarbrücken", "muller" finds
"Müller".

A text and the words searched are folded alike — lower case, accents removed, ß as ss, æ/œ as
ae/oe, then ae/oe/ue as a/o/u — by ``fold`` in Python, and by ``Folded`` in the database: on
PostgreSQL with ``translate()`` and ``replace()`` (no extension needed; capitals are translated
too, as ``lower()`` under a "C" locale leaves them), on SQLite with ``fold`` itself, registered
as the SQL function ``quattropole_fold`` on each new connection (events/apps.py), since SQLite's
``lower()`` knows ASCII only and it has no ``translate()``.
"""

from django.db.models import Func, TextField

# Letters as they are typed without accents, capitals included.
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
# Letters that become two, then umlauts typed as two letters ("Saarbruecken") fold like one.
EXPANSIONS = [("ß", "ss"), ("ẞ", "ss"), ("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe")]
DIGRAPHS = [("ae", "a"), ("oe", "o"), ("ue", "u")]

ACCENTED = "".join(LETTERS.values())
PLAIN = "".join(plain * len(letters) for plain, letters in LETTERS.items())
TABLE = str.maketrans(ACCENTED, PLAIN)
SQLITE_FUNCTION = "quattropole_fold"


def fold(text):
    """``text`` as a search compares it: "Saarbrücken" and "SAARBRUECKEN" are "saarbrucken"."""
    if text is None:
        return None
    text = text.translate(TABLE).lower()
    for before, after in EXPANSIONS + DIGRAPHS:
        text = text.replace(before, after)
    return text


class Folded(Func):
    """The database expression of ``fold`` for a field or expression."""

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
    """``connection_created`` receiver: SQLite learns ``fold`` (deterministic, so it may be used
    in an index)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
