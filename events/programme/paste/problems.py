"""Named problems of a pasted programme: what the parser could not read or would have had
to guess. Each has a code (stable, for code and tests), a translatable message for staff,
where it is (line of the paste, proposed slot) and whether it blocks saving as is."""

import dataclasses

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # The paste as a whole.
    "empty": _("Nothing was pasted."),
    "no_programme": _("No programme found: no line starts with a time such as 9h30 or 9:30."),
    "ignored_text": _("Left out, as it is part of no programme row: “%(excerpt)s”"),
    "column_count": _(
        "This row has %(count)s columns; a programme has 4 (French time, French text, German time, German "
        "text), 3 (time, French text, German text) or 2 (time, text). Left out: “%(excerpt)s”"
    ),
    "language_unknown": _("Is this programme in French or in German? The text does not tell; choose its language."),
    "reads_like_german": _("This text was pasted as French but reads like German."),
    "reads_like_french": _("This text was pasted as German but reads like French."),
    "columns_swapped": _(
        "The French columns read like German and the German ones like French: are the columns in the order "
        "French, then German?"
    ),
    "french_already_present": _("The programme already has its French texts: paste the German ones."),
    "german_already_present": _("The programme already has its German texts: paste the French ones."),
    "already_bilingual": _("A paste already holds both languages: paste only the language that is missing."),
    # One proposed slot.
    "unreadable_time": _("“%(value)s” is not a time: %(reason)s."),
    "missing_time": _("This row has no time."),
    "people_or_title": _(
        "“%(excerpt)s” was read as the people of this slot, but it may continue the line above: please check."
    ),
    "times_differ": _("The French time (%(time_fr)s) and the German time (%(time_de)s) differ: which is right?"),
    "no_title": _("This row has a time but no text."),
    "only_in_french": _("“%(title)s” is in the French programme only."),
    "only_in_german": _("“%(title)s” is in the German programme only."),
    "speaker_only_in_french": _("%(name)s is named in the French text only."),
    "speaker_only_in_german": _("%(name)s is named in the German text only."),
    "name_spellings_differ": _("The name is spelt “%(name_fr)s” in French and “%(name_de)s” in German."),
    "workshops_differ": _("Workshops: %(count_fr)s in French, %(count_de)s in German; they are paired in order."),
    "kinds_differ": _(
        "The French title suggests “%(kind_fr)s”, the German one “%(kind_de)s”: the kind is left as “%(kind)s”."
    ),
    "times_go_back": _("%(time)s comes after %(previous)s: is the order right?"),
    "no_workshops": _(
        "This slot is of the kind “%(kind)s” but names no workshop. Write each under the title on a line of its "
        "own starting with “•” or “-”, or all on one line: “%(example)s”."
    ),
}

# How staff write a slot's workshops on one line, in their language (in the "no_workshops" problem).
WORKSHOPS_EXAMPLE = _("Workshops: Mobility; Culture")


@dataclasses.dataclass(frozen=True)
class Problem:
    """One named problem.

    ``code``      a key of ``MESSAGES``;
    ``params``    the values of the message;
    ``blocking``  True when the proposal cannot be saved as it is (a slot without a time,
                  nothing found, languages in doubt); the others are worth a look;
    ``line``      the line of the paste it concerns (1-based), ``end_line`` the last one;
    ``language``  the language whose text ``line`` points to: for a programme pasted one
                  language at a time, which of the two pastes; ``None`` when unknown;
    ``slot``      the ``number`` of the proposed slot it concerns, ``None`` for the paste.
    """

    code: str
    params: dict = dataclasses.field(default_factory=dict, compare=False)
    blocking: bool = False
    line: int | None = None
    end_line: int | None = None
    language: str | None = None
    slot: int | None = None

    @property
    def template(self):
        """The lazy, translatable message template."""
        return MESSAGES[self.code]

    @property
    def message(self):
        """The message in the active language."""
        return str(self.template) % {key: str(value) for key, value in self.params.items()}

    def __str__(self):
        return self.message
