"""The search's own tables: equivalent place names (staff edit them) and one search document per
event (kept in step with the events by search/receivers.py)."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.folding import fold
from events.models import Event

# Longer "words" (a link, a string of digits) are left out of the vocabulary.
MAX_WORD_LENGTH = 60


class Place(models.Model):
    """A place known under several names (exonyms): Trier and Trèves, Saarbrücken and Sarrebruck.
    A query word that is one of its names searches all of them."""

    label = models.CharField(
        _("label"), max_length=100, unique=True, help_text=_("How staff recognise the entry, e.g. “Trier”.")
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("place with several names")
        verbose_name_plural = _("places with several names")

    def __str__(self):
        return self.label


class PlaceName(models.Model):
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=100, help_text=_("One name of the place, e.g. “Trèves”."))
    folded = models.CharField(_("folded name"), max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("name")
        verbose_name_plural = _("names")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.folded = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.folded = fold(self.name.strip())
        if not self.folded:
            raise ValidationError({"name": _("Enter a name.")})
        if PlaceName.objects.filter(folded=self.folded).exclude(pk=self.pk).exists():
            raise ValidationError({"name": _("This name already belongs to a place.")})


class SearchDocument(models.Model):
    """What the search reads of one event, per language: its title, the rest of its texts (kicker,
    teaser, description, programme, speakers, venue, category, cities) as written, for extracts,
    and folded (search.text.document_folding) for comparison. On PostgreSQL also, for the
    full-text search (search/index.py): the keys that find it (the German and French stems of
    both languages' words and the words themselves, without positions: small, one GIN index) and
    the titles' vector that ranks it."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title_de = models.TextField(blank=True)
    title_fr = models.TextField(blank=True)
    text_de = models.TextField(blank=True)
    text_fr = models.TextField(blank=True)
    folded_de = models.TextField(blank=True)
    folded_fr = models.TextField(blank=True)
    keys = SearchVectorField(null=True, editable=False)
    title_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return f"Search document of event {self.event_id}"


class Word(models.Model):
    """A word of the search documents, folded (on PostgreSQL only): the vocabulary in which a
    query word is looked up as a part of longer words and by trigram similarity (typos), a small
    table with a trigram index (search/query.py). Written as documents are (search/index.py);
    a word no document holds any more stays, harmless: it finds nothing."""

    word = models.CharField(max_length=MAX_WORD_LENGTH, primary_key=True)

    class Meta:
        verbose_name = _("word")
        verbose_name_plural = _("words")

    def __str__(self):
        return self.word
