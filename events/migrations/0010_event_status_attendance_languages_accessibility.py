"""Issue 27: the event's status, attendance mode, languages and interpretation, its calendar
identity, and the venue's accessibility.

- Each existing event gets a UUID of its own (``calendar_uid``): its UID in calendar files, unique
  per deployment, never changed afterwards.
- The free-text interpretation notes become data: a note that names the kind (simultaneous,
  consecutive) and two languages sets ``interpretation_kind``, ``interpretation_from``/``_to``
  and the event's languages (``held_in_*``), and is then emptied, the data saying it in each
  language's words; any other note stays as it is. Nothing else is read or changed: the cancelled
  flag (``is_cancelled``) stays where it is (the public status reads it).
"""

import re
import uuid

from django.db import migrations, models

KINDS = {
    "simultaneous": re.compile(r"simultan", re.IGNORECASE),
    "consecutive": re.compile(r"kons[eé]kutiv|cons[eé]cuti", re.IGNORECASE),
}
LANGUAGES = {
    "de": re.compile(r"deutsch|allemand|german", re.IGNORECASE),
    "fr": re.compile(r"franz[oö]|fran[cç]ais|french", re.IGNORECASE),
    "lb": re.compile(r"luxemburgisch|luxembourgeois|luxembourgish", re.IGNORECASE),
    "en": re.compile(r"englisch|anglais|english", re.IGNORECASE),
}
# What may be left around the kind and the language names for the note to be said fully by the data.
REST = re.compile(
    r"[\s/,\-–()]*(?:übersetzung|dolmetschen|interpr[eé]tariat|interpr[eé]tation|traduction|"
    r"und|et|and|ins?|vers|en|de|du|le|la|the|into|from)?[\s/,\-–()]*",
    re.IGNORECASE,
)


def parse_note(note):
    """``(kind, [language codes in the order named])`` when ``note`` names a kind and two
    languages and nothing else, else None."""
    if not note:
        return None
    kinds = [kind for kind, pattern in KINDS.items() if pattern.search(note)]
    found = sorted(
        ((pattern.search(note).start(), code) for code, pattern in LANGUAGES.items() if pattern.search(note)),
    )
    if len(kinds) != 1 or len(found) != 2:
        return None
    rest = note
    for pattern in (*KINDS.values(), *LANGUAGES.values()):
        rest = re.sub(f"(?:{pattern.pattern})\\w*", " ", rest, flags=re.IGNORECASE)
    if REST.sub("", rest).strip():
        return None  # the note says more than the data can: keep it
    return kinds[0], [code for _position, code in found]


def fill_calendar_uids(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(calendar_uid__isnull=True).only("pk"):
        Event.objects.filter(pk=event.pk).update(calendar_uid=uuid.uuid4())


def convert_interpretation_notes(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    notes = Event.objects.exclude(interpretation_de="", interpretation_fr="").exclude(
        interpretation_de__isnull=True, interpretation_fr__isnull=True
    )
    for event in notes:
        parsed = [parse_note(getattr(event, f"interpretation_{code}") or "") for code in ("de", "fr")]
        known = [result for result in parsed if result is not None]
        written = [note for note in (event.interpretation_de, event.interpretation_fr) if note]
        # Every note written must be understood, and the languages must agree on what they say.
        if (
            not known
            or len(known) != len(written)
            or any((kind, set(codes)) != (known[0][0], set(known[0][1])) for kind, codes in known)
        ):
            continue
        kind, codes = parsed[0] or parsed[1]  # the German note's order first
        event.interpretation_kind = kind
        event.interpretation_from, event.interpretation_to = codes
        for code in codes:
            setattr(event, f"held_in_{code}", True)
        event.interpretation = event.interpretation_de = event.interpretation_fr = ""
        event.save(
            update_fields=[
                "interpretation_kind",
                "interpretation_from",
                "interpretation_to",
                *(f"held_in_{code}" for code in codes),
                "interpretation",
                "interpretation_de",
                "interpretation_fr",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_list_count_index_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="attendance_mode",
            field=models.CharField(
                choices=[("in_person", "In person"), ("online", "Online"), ("mixed", "In person and online")],
                default="in_person",
                max_length=20,
                verbose_name="attendance",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="calendar_uid",
            field=models.UUIDField(editable=False, null=True, verbose_name="calendar identity"),
        ),
        migrations.AddField(
            model_name="event",
            name="event_status",
            field=models.CharField(
                choices=[
                    ("scheduled", "Scheduled"),
                    ("postponed", "Postponed"),
                    ("rescheduled", "Rescheduled"),
                    ("moved_online", "Moved online"),
                ],
                default="scheduled",
                help_text="Postponed: the new date is not known yet (the old one stays). Rescheduled: enter the new date above; the previous one is kept and shown. Cancelling is below, under Publication.",
                max_length=20,
                verbose_name="event status",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="held_in_de",
            field=models.BooleanField(default=False, verbose_name="in German"),
        ),
        migrations.AddField(
            model_name="event",
            name="held_in_en",
            field=models.BooleanField(default=False, verbose_name="in English"),
        ),
        migrations.AddField(
            model_name="event",
            name="held_in_fr",
            field=models.BooleanField(default=False, verbose_name="in French"),
        ),
        migrations.AddField(
            model_name="event",
            name="held_in_lb",
            field=models.BooleanField(default=False, verbose_name="in Luxembourgish"),
        ),
        migrations.AddField(
            model_name="event",
            name="held_in_other",
            field=models.BooleanField(default=False, verbose_name="in another language"),
        ),
        migrations.AddField(
            model_name="event",
            name="interpretation_from",
            field=models.CharField(
                blank=True,
                choices=[("de", "German"), ("fr", "French"), ("lb", "Luxembourgish"), ("en", "English")],
                max_length=5,
                verbose_name="interpreted from",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="interpretation_kind",
            field=models.CharField(
                choices=[
                    ("none", "No interpretation"),
                    ("simultaneous", "Simultaneous interpretation"),
                    ("consecutive", "Consecutive interpretation"),
                ],
                default="none",
                max_length=20,
                verbose_name="interpretation",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="interpretation_to",
            field=models.CharField(
                blank=True,
                choices=[("de", "German"), ("fr", "French"), ("lb", "Luxembourgish"), ("en", "English")],
                max_length=5,
                verbose_name="interpreted into",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="online_url",
            field=models.URLField(blank=True, help_text="Where people join from home.", verbose_name="online link"),
        ),
        migrations.AddField(
            model_name="event",
            name="online_url_visibility",
            field=models.CharField(
                choices=[("public", "Everyone, on the event page"), ("registrants", "Registrants only")],
                default="registrants",
                max_length=20,
                verbose_name="online link shown to",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="previous_start",
            field=models.DateTimeField(
                blank=True,
                help_text="For a rescheduled event: when it was to start before. Filled in when the start changes.",
                null=True,
                verbose_name="previous start",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="sign_language",
            field=models.BooleanField(
                default=False, help_text="Interpreted into sign language.", verbose_name="sign-language interpretation"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_hearing",
            field=models.BooleanField(
                default=False, help_text="E.g. an induction loop in the hall.", verbose_name="hearing impairment"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_intellectual",
            field=models.BooleanField(
                default=False,
                help_text="E.g. signs and materials in easy language.",
                verbose_name="intellectual impairment",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_motor",
            field=models.BooleanField(
                default=False,
                help_text="Wheelchair users get in and around without steps: entrance, rooms, toilet.",
                verbose_name="step-free (motor impairment)",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_psychic",
            field=models.BooleanField(
                default=False, help_text="E.g. a quiet room to withdraw to.", verbose_name="psychic impairment"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_visual",
            field=models.BooleanField(
                default=False, help_text="E.g. tactile guidance, guide dogs welcome.", verbose_name="visual impairment"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="accessibility_example",
            field=models.BooleanField(
                default=False,
                help_text="Shown as example data: the values were not taken from the venue (the demo).",
                verbose_name="accessibility values are examples",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="accessibility_note",
            field=models.TextField(
                blank=True,
                help_text="What the flags do not say: entrance, accessible toilet, parking, who to call.",
                verbose_name="accessibility note",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="accessibility_note_de",
            field=models.TextField(
                blank=True,
                help_text="What the flags do not say: entrance, accessible toilet, parking, who to call.",
                null=True,
                verbose_name="accessibility note",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="accessibility_note_fr",
            field=models.TextField(
                blank=True,
                help_text="What the flags do not say: entrance, accessible toilet, parking, who to call.",
                null=True,
                verbose_name="accessibility note",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="interpretation",
            field=models.CharField(
                blank=True,
                help_text="Only what the interpretation fields do not say, e.g. “in the plenary sessions only”.",
                max_length=200,
                verbose_name="interpretation note",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="interpretation_de",
            field=models.CharField(
                blank=True,
                help_text="Only what the interpretation fields do not say, e.g. “in the plenary sessions only”.",
                max_length=200,
                null=True,
                verbose_name="interpretation note",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="interpretation_fr",
            field=models.CharField(
                blank=True,
                help_text="Only what the interpretation fields do not say, e.g. “in the plenary sessions only”.",
                max_length=200,
                null=True,
                verbose_name="interpretation note",
            ),
        ),
        migrations.RunPython(fill_calendar_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="calendar_uid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The event's UID in every calendar file; never changes.",
                unique=True,
                verbose_name="calendar identity",
            ),
        ),
        migrations.RunPython(convert_interpretation_notes, migrations.RunPython.noop),
    ]
