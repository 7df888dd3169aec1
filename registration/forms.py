"""The registration form, in the page's language: who you are, where you come from, the
questions the event asks, and consent to its privacy notice. The same form changes the answers
(on the registrant's page, and in the admin for staff) without consent and honeypot.

Error messages say what to do, as the GOV.UK Design System recommends ("Enter your first
name"); the templates show them next to their field and in a summary at the top.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events import dates
from events.models import City

from . import display
from .models import RegistrationSettings
from .services import addresses

OTHER_TOWN = "other"
NO_BUS = "none"
YES, NO = "yes", "no"


def radio(label, choices=(), **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class RegistrationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation and the link to your registration to this address."),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the right format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example your city council, association or employer."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    city = radio(_("Where do you come from?"), error_messages={"required": _("Select where you come from")})
    other_town = forms.CharField(
        label=_("Your town, if another one"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    lunch = radio(
        _("Will you have lunch with us?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        error_messages={"required": _("Select whether you will have lunch with us")},
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example vegetarian, vegan, gluten-free, allergies."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bus = radio(
        _("Would you like to take the bus from a member city?"),
        error_messages={"required": _("Select whether you will take the bus")},
    )
    language = radio(
        _("Language of the e-mails we send you"), error_messages={"required": _("Select the language of the e-mails")}
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is used as it says."),
        error_messages={"required": _("Accept the privacy notice to register")},
    )
    # Left empty by people (it is not shown); robots that fill in every field fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, event, form, places=None, cities=None, staff=False, registration=None, **kwargs):
        self.event, self.settings, self.places = event, form, places
        self.staff, self.registration = staff, registration
        self.cities = list(cities if cities is not None else City.objects.all())
        language = translation.get_language()
        if registration is not None:
            kwargs.setdefault("initial", self.initial_for(registration))
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(c.code, c.name) for c in self.cities] + [(OTHER_TOWN, _("Another town"))]
        self.fields["bus"].choices = [(NO_BUS, _("No, I come on my own"))] + [
            (c.code, _("Yes, from %(city)s") % {"city": c.name}) for c in self.cities
        ]
        self.fields["language"].choices = [(code, display.language_name(code)) for code, _name in settings.LANGUAGES]
        self.fields["language"].initial = language
        self.fields["bus"].initial = NO_BUS
        self.workshop_fields = self._add_workshop_fields()
        asked = {
            "lunch": form.ask_lunch,
            "dietary_needs": form.ask_dietary_needs,
            "bus": form.ask_bus,
            "language": form.ask_language or staff,
            "consent": registration is None and not staff,
            "website": not staff,
        }
        for name, ask in asked.items():
            if not ask:
                del self.fields[name]
        # Fields in the order of the page: questions of the event after the person.
        order = ["first_name", "last_name", "email", "organisation", "city", "other_town", *self.workshop_fields]
        self.order_fields(order)

    @staticmethod
    def initial_for(registration):
        initial = {
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "email": registration.email,
            "organisation": registration.organisation,
            "city": registration.city.code if registration.city_id else OTHER_TOWN,
            "other_town": registration.other_town,
            "lunch": None if registration.lunch is None else (YES if registration.lunch else NO),
            "dietary_needs": registration.dietary_needs,
            "bus": registration.bus_city.code if registration.bus_city_id else NO_BUS,
            "language": registration.language,
        }
        for choice in registration.workshop_choices.select_related("workshop"):
            initial[f"workshop_{choice.workshop.slot_id}"] = str(choice.workshop_id)
            initial["workshop"] = str(choice.workshop_id)
        return initial

    # --- Workshops: one question per workshop slot, or one for all ---------------------------

    def workshop_slots(self):
        slots = getattr(self.event, "programme", None)  # prefetched by the event page
        if slots is None:
            slots = self.event.slots.prefetch_related("workshops")
        return [slot for slot in slots if slot.workshops.all()]

    def _workshop_label(self, workshop, with_slot=False):
        label = f"{workshop.slot.title} – {workshop.title}" if with_slot else workshop.title
        seats = display.seats_left(self.places, workshop) if self.places is not None else ""
        return f"{label} ({seats})" if seats else label

    def _add_workshop_fields(self):
        choice = self.settings.workshop_choice
        slots = self.workshop_slots()
        if choice == RegistrationSettings.WorkshopChoice.NONE or not slots:
            return []
        required = {"required": _("Select a workshop")}
        if choice == RegistrationSettings.WorkshopChoice.ONE or len(slots) == 1:
            workshops = [(w, len(slots) > 1) for slot in slots for w in slot.workshops.all()]
            self.fields["workshop"] = radio(
                _("Which workshop would you like to take part in?"),
                choices=[(str(w.pk), self._workshop_label(w, with_slot)) for w, with_slot in workshops],
                error_messages=required,
            )
            return ["workshop"]
        names = []
        for slot in slots:
            name = f"workshop_{slot.pk}"
            self.fields[name] = radio(
                _("Workshop at %(time)s: %(title)s") % {"time": dates.time_of_day(slot.start), "title": slot.title},
                choices=[(str(w.pk), self._workshop_label(w)) for w in slot.workshops.all()],
                error_messages=required,
            )
            names.append(name)
        return names

    def chosen_workshops(self):
        by_id = {str(w.pk): w for slot in self.workshop_slots() for w in slot.workshops.all()}
        return [by_id[self.cleaned_data[name]] for name in self.workshop_fields if self.cleaned_data.get(name)]

    # --- Validation -------------------------------------------------------------------------------

    def clean_email(self):
        return addresses.normalise_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Your submission looks automated. Please try again."), code="honeypot")
        if data.get("city") == OTHER_TOWN and not (data.get("other_town") or "").strip():
            self.add_error("other_town", _("Enter the town you come from"))
        return data

    def answers(self):
        """The cleaned data as booking.register() and change() take it."""
        data = self.cleaned_data
        cities = {city.code: city for city in self.cities}
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "organisation": data.get("organisation", ""),
            "city": cities.get(data["city"]),
            "other_town": data.get("other_town", ""),
            "workshops": self.chosen_workshops(),
            "lunch": {YES: True, NO: False}.get(data.get("lunch")),
            "dietary_needs": data.get("dietary_needs", ""),
            "bus_city": cities.get(data.get("bus")),
        }

    def chosen_language(self):
        if self.registration is not None and "language" not in self.fields:
            return self.registration.language
        return self.cleaned_data.get("language") or translation.get_language()

    def error_anchor(self, name):
        """The id an error summary links to: the field, or a group's first choice."""
        field = self[name]
        if isinstance(field.field.widget, forms.RadioSelect):
            return f"{field.auto_id}_0"
        return field.auto_id

    def problem_field(self, problem):
        """The field a capacity.Problem of a change belongs to."""
        if problem.kind == "workshop" and problem.workshop is not None:
            name = f"workshop_{problem.workshop.slot_id}"
            return name if name in self.fields else "workshop"
        return "city"


class ResendLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you registered with."),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the right format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self):
        return addresses.normalise_email(self.cleaned_data["email"])

    def error_anchor(self, name):
        return self[name].auto_id


class MoveForm(forms.Form):
    """Staff confirming beyond the rules: explicit, with a reason that is logged."""

    override = forms.BooleanField(
        label=_("I confirm these registrations beyond the places, quotas or seats."), required=True
    )
    note = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
