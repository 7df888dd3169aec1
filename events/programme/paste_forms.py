"""The forms of the admin's "Paste the programme" page (events/admin/paste.py): what staff paste
(``PasteForm``, parsed by ``events.programme.paste``) and what they choose on the preview
(``ChoicesForm``: each slot's kind, who each speaker is, add to the programme or replace it), put
into the plan of ``events.programme.planner``."""

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import ProgrammeSlot
from .editor_forms import protected_error
from .paste import complete_programme, parse_programme
from .planner import NEW_PERSON


class PasteForm(forms.Form):
    """What was pasted: the programme, and the other language's for a one-language paste. Parsed
    again on every submit (the parser is pure and fast): a preview stores nothing."""

    LANGUAGE_CHOICES = [
        ("", _("Both languages, or tell from the text")),
        ("fr", _("French only")),
        ("de", _("German only")),
    ]

    text = forms.CharField(
        label=_("Pasted programme"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80, "spellcheck": "false", "class": "paste-text"}),
        strip=False,
        error_messages={"required": _("Paste the programme here first.")},
        help_text=_(
            "The invitation’s table — French time | French text | German time | German text — as copied "
            "from Word, LibreOffice or a PDF, or time | text in one language."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the paste"), choices=LANGUAGE_CHOICES, required=False)
    second_text = forms.CharField(
        label=_("The programme in the other language"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "spellcheck": "false", "class": "paste-text"}),
        strip=False,
        required=False,
    )

    def proposal(self):
        data = self.cleaned_data
        proposal = parse_programme(data["text"], data["language"] or None)
        if data["second_text"].strip() and len(proposal.languages) == 1:
            proposal = complete_programme(proposal, data["second_text"])
        return proposal

    def checksum(self):
        """Names what was previewed: saving is refused when the text changed since."""
        data = self.cleaned_data
        digest = hashlib.sha256()
        for part in (data["text"], data["language"], data["second_text"]):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()


class ChoicesForm(forms.Form):
    """Staff's choices on a preview: each slot's kind, who each speaker is, and whether the paste
    is added to the programme or replaces it (then only with an explicit confirmation)."""

    ADD, REPLACE = "add", "replace"

    def __init__(self, *args, plan, can_replace=False, confirming=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.confirming = confirming
        kinds = ProgrammeSlot.Kind.choices
        for slot in plan.slots:
            self.fields[slot.field_name] = forms.ChoiceField(
                label=_("Kind"), choices=kinds, initial=slot.kind, required=True
            )
            for speaker in slot.speakers:
                options = [(str(person.pk), person_label(person)) for person in speaker.matches]
                options.append((NEW_PERSON, _("a new person: %(name)s") % {"name": speaker.proposed.name}))
                self.fields[speaker.field_name] = forms.ChoiceField(
                    label=_("Who is %(name)s?") % {"name": speaker.proposed.name},
                    choices=options,
                    initial=speaker.choice,
                )
        count = len(plan.existing)
        if count and can_replace:
            self.fields["mode"] = forms.ChoiceField(
                label=_("What to do with the programme the event has"),
                widget=forms.RadioSelect,
                initial=self.ADD,
                choices=[
                    (
                        self.ADD,
                        ngettext(
                            "Add these slots to the programme (it has %(count)d slot now)",
                            "Add these slots to the programme (it has %(count)d slots now)",
                            count,
                        )
                        % {"count": count},
                    ),
                    (
                        self.REPLACE,
                        ngettext(
                            "Replace the programme: remove its %(count)d slot, with its speakers and "
                            "workshops, and keep these",
                            "Replace the programme: remove its %(count)d slots, with their speakers and "
                            "workshops, and keep these",
                            count,
                        )
                        % {"count": count},
                    ),
                ],
            )
            self.fields["replace_confirmed"] = forms.BooleanField(
                label=_("Yes, remove the current programme"),
                required=False,
                help_text=_("It can be brought back from the event’s history."),
            )

    @property
    def replaces(self):
        return self.is_bound and self.is_valid() and self.cleaned_data.get("mode") == self.REPLACE

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.REPLACE:
            if self.confirming and not data.get("replace_confirmed"):
                self.add_error(
                    "replace_confirmed", _("Tick this box to remove the current programme, or choose to add.")
                )
            for slot in self.plan.existing:
                error = protected_error(slot)
                if error:
                    self.add_error("mode", error)
        return data

    def apply(self):
        """Put the choices into the plan (call when valid)."""
        data = self.cleaned_data
        self.plan.choose(
            kinds={slot.number: data[slot.field_name] for slot in self.plan.slots},
            people={
                speaker.field_name: data[speaker.field_name] for slot in self.plan.slots for speaker in slot.speakers
            },
        )

    def slot_fields(self, slot):
        return self[slot.field_name]


def person_label(person):
    """A known person, with what they do: "Vincent Ferry, already known: Forscher am …"."""
    if person.description:
        return _("%(name)s, already known: %(description)s") % {"name": person.name, "description": person.description}
    return _("%(name)s, already known") % {"name": person.name}
