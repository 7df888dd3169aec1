"""PostgreSQL's tools of the search: the unaccent and pg_trgm extensions and the GIN indexes of the
search documents (full-text vectors, trigrams of the folded texts). On SQLite nothing happens: the
extensions' operations are no-ops there, and the indexes are created only on PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

INDEXES = [
    ("search_document_vector_de", "vector_de"),
    ("search_document_vector_fr", "vector_fr"),
    ("search_document_folded_de_trgm", "folded_de gin_trgm_ops"),
    ("search_document_folded_fr_trgm", "folded_fr gin_trgm_ops"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("search", "SearchDocument")._meta.db_table)
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} USING gin ({column})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
