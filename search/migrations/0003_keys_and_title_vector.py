"""PostgreSQL's search reads one small column per document, ``keys`` (the stems and words of both
languages without positions, one GIN index), and ranks by the titles' vector; the documents' words
make a vocabulary with a trigram index (parts of words, typos: search/query.py). The per-language
vectors and the trigram indexes of the long folded texts go (reading them for a word found in
most documents took a second at 10,000 events: docs/performance.md). The new columns are filled
by ``manage.py rebuild_search`` or the next save; after ``migrate`` the documents are rebuilt
(search.receivers.index_missing rebuilds those without keys)."""

import django.contrib.postgres.search
from django.db import migrations, models

OLD_INDEXES = ["search_document_folded_de_trgm", "search_document_folded_fr_trgm"]
KEYS_INDEX = "search_document_keys"
WORD_INDEX = "search_word_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("search", "SearchDocument")._meta.db_table)
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(KEYS_INDEX)} ON {table} USING gin (keys)"
    )
    words = schema_editor.quote_name(apps.get_model("search", "Word")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(WORD_INDEX)} ON {words} USING gin (word gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("search", "SearchDocument")._meta.db_table)
    for name in (KEYS_INDEX, WORD_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    for name, column in zip(OLD_INDEXES, ("folded_de", "folded_fr"), strict=True):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_search")]

    operations = [
        migrations.RemoveField(model_name="searchdocument", name="vector_de"),
        migrations.RemoveField(model_name="searchdocument", name="vector_fr"),
        migrations.AddField(
            model_name="searchdocument",
            name="keys",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.CreateModel(
            name="Word",
            fields=[("word", models.CharField(max_length=60, primary_key=True, serialize=False))],
            options={"verbose_name": "word", "verbose_name_plural": "words"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
