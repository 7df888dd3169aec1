"""Pasting a programme: text copied from the invitation in, a proposed programme and named
problems out. Pure: no forms, no models, no database; the admin shows the proposal for
confirmation and saves what staff confirm.

What can be pasted (see ``reading`` for the details):

* **a bilingual table**, four columns row by row — French time | French text | German time
  | German text — as the invitation is written, copied from Word, LibreOffice (Writer or
  Calc) or a tab-separated file; or three columns, time | French text | German text;
* **one language**, two columns — time | text — then the other language in a second paste
  (``complete_programme``); or both languages one after the other, or row by row, in one
  paste, as a PDF viewer may copy two columns;
* **plain text from a PDF**: a time at the start of a line begins a row, wide gaps separate
  columns, lines without a time continue the row above.

In a text cell, the first line is the title, bullet lines (``•``, ``-``, ``*``…) or one line
``Ateliers : Mobilité ; Culture`` are workshops, a line of people (``Name, role, affiliation ;
Name, affiliation``) or an HTML ``<small>`` line names the speakers, other paragraphs are the
description (see ``content``; ``example`` is the example the paste page shows). The slot's kind
is guessed from its titles (see ``kinds``).

Nothing is guessed silently: a time that cannot be read, French and German times that
differ, a row in one language only, a person named in one language only, more columns than
a programme has, an empty paste, text that belongs to no row, a slot of the workshops kind
that names none — each is a ``Problem`` with a
code, a translated message, the line and the slot it concerns, and whether it blocks saving.

Usage::

    proposal = parse_programme(pasted)                     # bilingual table
    proposal = parse_programme(pasted_fr, "fr")            # one language…
    proposal = complete_programme(proposal, pasted_de)     # …then the other
    for slot in proposal.slots:
        slot.start, slot.title_fr, slot.title_de, slot.kind, slot.speakers, slot.workshops
    for problem in proposal.problems:
        problem.code, problem.message, problem.slot, problem.line, problem.blocking
    proposal.can_confirm
"""

from .content import name_key
from .kinds import KIND_LABELS, guess_kind, kind_of_title
from .problems import MESSAGES, Problem
from .proposal import (
    LANGUAGES,
    ProgrammeProposal,
    ProposedSlot,
    ProposedSpeaker,
    ProposedWorkshop,
    SlotSource,
    complete_programme,
    merge_languages,
    missing_workshops,
    parse_programme,
)

__all__ = [
    "KIND_LABELS",
    "LANGUAGES",
    "MESSAGES",
    "Problem",
    "ProgrammeProposal",
    "ProposedSlot",
    "ProposedSpeaker",
    "ProposedWorkshop",
    "SlotSource",
    "complete_programme",
    "guess_kind",
    "kind_of_title",
    "merge_languages",
    "missing_workshops",
    "name_key",
    "parse_programme",
]
