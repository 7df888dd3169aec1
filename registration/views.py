"""Registrants' pages: the form posted from the event page and its answer ("check your
e-mail"), their own page behind a signed link (confirm the address, see, change, cancel), and
"send me my link again".

The answer to the form is the same whether the address was new or already registered, and
hands out no personal link: the link goes to the address alone (booking.request_place).

The form lives on the event page (page_sections.py, the registration box); a submission with a
problem shows the whole event page again, freshly rendered, with the answers kept, the errors
next to their fields and summarised at the top of the form. No page here is cached: each
answers one person.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView, View
from django_ratelimit.core import is_ratelimited

from events.models import City
from events.views import EventDetailView, EventPage, EventPageMixin
from materials import serving
from materials.models import Material

from . import display, links
from .forms import RegistrationForm, ResendLinkForm
from .models import Registration
from .services import addresses, booking, capacity, errors, notifications

logger = logging.getLogger(__name__)


def rate_limited(request, group):
    """True when this client address or this e-mail address sent too many submissions
    (settings.REGISTRATION_RATE_PER_IP / _PER_EMAIL); every submission counts. The counts live in
    the cache: when it is away (Redis stopped), submissions go through uncounted rather than
    fail — a registration is worth more than the limit."""
    try:
        return _rate_limited(request, group)
    except Exception:  # each cache backend raises its own errors
        logger.warning("Rate limit not applied: the cache does not answer", exc_info=True)
        return False


def _rate_limited(request, group):
    by_address = is_ratelimited(
        request, group=f"{group}-ip", key="ip", rate=settings.REGISTRATION_RATE_PER_IP, method="POST", increment=True
    )
    by_email = is_ratelimited(
        request,
        group=f"{group}-email",
        key=lambda _group, request: addresses.normalise_email(request.POST.get("email", "")) or "-",
        rate=settings.REGISTRATION_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )
    return by_address or by_email


def too_many_message():
    return _("Too many submissions in a short time. Please wait a few minutes and send the form again.")


def client_address(request):
    """The client's address as the rate limits see it (settings.RATELIMIT_IP_META_KEY: the
    header the reverse proxy sets, else the connection's address)."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = request.META.get(key) or request.META.get("REMOTE_ADDR") or ""
    return value.split(",")[0].strip()


@method_decorator(never_cache, name="dispatch")
class RegisterView(EventDetailView):
    """POST: register for the event. GET: the event page's form."""

    template_name = "registration/event_page.html"

    def get(self, request, *args, **kwargs):
        event = self.get_object()
        return redirect(event.get_absolute_url() + "#register")

    def post(self, request, *args, **kwargs):
        self.object = event = self.get_object()
        form_settings = capacity.form_settings(event)
        if form_settings is None:
            raise Http404("No built-in registration")
        places = capacity.availability(event, form_settings)
        form = RegistrationForm(request.POST, event=event, form=form_settings, places=places, cities=City.objects.all())
        if rate_limited(request, "register"):
            form.is_valid()
            form.add_error(None, too_many_message())
            return self.show(form, status=429)
        if not form.is_valid():
            return self.show(form)
        address = form.cleaned_data["email"]
        try:
            # The new registration, or None for an address already registered: answered alike.
            booking.request_place(
                event,
                form.answers(),
                language=form.chosen_language(),
                join_waiting_list=request.POST.get("waiting_list") == "yes",
                client=addresses.client_key(client_address(request)),
            )
        except errors.NotOpen:
            # The state of the registration box says why (closed, full, started …).
            form.add_error(None, _("Registration for this event is not open."))
            return self.show(form)
        except errors.TooManyUnconfirmed:
            form.add_error(None, too_many_unconfirmed_message())
            return self.show(form, status=429)
        except errors.NoPlace as no_place:
            return self.show(form, offer=no_place)
        messages.info(request, sent_message(address))
        return redirect(event.page_url("registration:check_email"))

    def show(self, form, status=200, **extra):
        context = self.get_context_data(object=self.object, registration_form=form, **extra)
        return self.render_to_response(context, status=status)


def too_many_unconfirmed_message():
    return _(
        "From your connection, %(count)s registrations for this event are waiting for their e-mail address to "
        "be confirmed. Confirm them with the links we sent, or wait until they expire (at the latest in "
        "%(minutes)s minutes), then send the form again."
    ) % {"count": settings.REGISTRATION_HOLDS_PER_CLIENT, "minutes": settings.REGISTRATION_HOLD_MINUTES}


def sent_message(address):
    return _("We have sent an e-mail to %(email)s.") % {"email": address}


@method_decorator(never_cache, name="dispatch")
class CheckEmailView(EventPageMixin, TemplateView):
    """The answer to the registration form: look in your inbox. The same for every address."""

    template_name = "registration/check_email.html"
    url_name = "registration:check_email"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.page_url(self.url_name)
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.object,
            translatable_object=EventPage(self.object, self.url_name),
            minutes=settings.REGISTRATION_HOLD_MINUTES,
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


@method_decorator(never_cache, name="dispatch")
class RegistrationPageMixin:
    """A page of one registration, found by its signed token (a 404 for anything else)."""

    def dispatch(self, request, *args, **kwargs):
        self.registration = Registration.objects.for_token(kwargs["token"])
        if self.registration is None:
            raise Http404("No such registration")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        registration = self.registration
        context = super().get_context_data(**kwargs)
        language = translation.get_language()
        context.update(
            registration=registration,
            event=registration.event,
            position=registration.waiting_list_position(),
            can_confirm=capacity.can_confirm(registration),
            can_change=capacity.can_change(registration),
            can_cancel=capacity.can_cancel(registration),
            manage_url=links.manage_url(registration, language),
            confirm_url=links.manage_url(registration, language, "registration:confirm"),
            change_url=links.manage_url(registration, language, "registration:change"),
            cancel_url=links.manage_url(registration, language, "registration:cancel"),
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def registrant_materials(registration):
    """The event's registrants-only materials a registrant may open: once their place is
    confirmed (not on the waiting list, not before the address is confirmed)."""
    if registration.status != Registration.Status.CONFIRMED:
        return Material.objects.none()
    return Material.objects.for_registrants().filter(event_id=registration.event_id).in_order()


@require_safe
@never_cache
def material_file(request, token, pk):
    """A registrants-only material's file, through the registrant's signed link: a 404 for a
    forged or outdated link, a material of another event, or a registrant without a confirmed
    place — nothing tells a stranger that the file exists."""
    registration = Registration.objects.for_token(token)
    if registration is None:
        raise Http404("No such registration")
    material = registrant_materials(registration).filter(pk=pk).first()
    if material is None:
        raise Http404("No such material")
    return serving.file_response(material)


class ManageView(RegistrationPageMixin, TemplateView):
    """Everything stored about the registrant, with the ways to change or cancel."""

    template_name = "registration/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.registration
        form = capacity.form_settings(registration.event)
        context.update(
            status=display.status(registration, context["position"]),
            answers=display.answers(registration, form),
            history=registration.history.all(),
            emails=registration.emails.all(),
            materials=[
                (material, links.manage_url(registration, page="registration:material", pk=material.pk))
                for material in registrant_materials(registration)
            ],
            online_link=registration.online_link(),
        )
        return context


class ConfirmView(RegistrationPageMixin, View):
    """POST: the registrant confirms their address (the button on their page, reached with the
    link of the e-mail: a GET never confirms, so that a mail scanner opening links does not)."""

    def get(self, request, *args, **kwargs):
        return redirect(links.manage_url(self.registration, translation.get_language()))

    def post(self, request, *args, **kwargs):
        try:
            registration = booking.confirm_address(self.registration)
        except errors.Expired:
            messages.error(
                request,
                _(
                    "Your registration expired because the address was not confirmed in time, and the place has "
                    "been taken since. Register again on the event page to join the waiting list."
                ),
            )
        except errors.AlreadyRegistered:
            messages.error(
                request,
                _("This address has registered again meanwhile: use the link of the latest e-mail we sent you."),
            )
        except errors.NotOpen:
            messages.error(request, _("This registration can no longer be confirmed."))
        else:
            messages.success(request, confirmed_message(registration))
        return redirect(links.manage_url(self.registration, translation.get_language()))


def confirmed_message(registration):
    if registration.status == registration.Status.CONFIRMED:
        text = _("Thank you: your registration is confirmed. We have sent a confirmation to %(email)s.")
    else:
        text = _(
            "You are on the waiting list, at number %(position)s. We have sent an e-mail to %(email)s, and will "
            "write again as soon as a place is yours."
        )
    return text % {"email": registration.email, "position": registration.position or ""}


class ChangeView(RegistrationPageMixin, FormView):
    template_name = "registration/change.html"

    def get(self, request, *args, **kwargs):
        if not capacity.can_change(self.registration):
            messages.info(request, _("Registration is closed: your answers can no longer be changed."))
            return redirect(links.manage_url(self.registration, translation.get_language()))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not capacity.can_change(self.registration):
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        event = self.registration.event
        form_settings = capacity.form_settings(event)
        kwargs = self.get_form_kwargs()
        kwargs.pop("initial", None)
        return RegistrationForm(
            event=event,
            form=form_settings,
            places=capacity.availability(event, form_settings),
            registration=self.registration,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            registration = booking.change(self.registration, form.answers(), language=form.chosen_language())
        except errors.NotOpen:
            messages.info(self.request, _("Registration is closed: your answers can no longer be changed."))
            return redirect(links.manage_url(self.registration, translation.get_language()))
        except errors.AlreadyRegistered:
            form.add_error("email", _("This e-mail address is already registered for this event."))
            return self.form_invalid(form)
        except errors.NoPlace as no_place:
            for problem in no_place.problems:
                form.add_error(
                    form.problem_field(problem),
                    _("%(problem)s Keep your current choice or choose another one.") % {"problem": problem.message()},
                )
            return self.form_invalid(form)
        if registration.promoted:
            messages.success(
                self.request, _("Your answers are saved, and a place has become yours: you are confirmed.")
            )
        else:
            messages.success(self.request, _("Your answers are saved."))
        return redirect(links.manage_url(registration, translation.get_language()))


class CancelView(RegistrationPageMixin, TemplateView):
    template_name = "registration/cancel.html"

    def post(self, request, *args, **kwargs):
        if not capacity.can_cancel(self.registration):
            messages.info(request, _("This registration can no longer be cancelled."))
        else:
            unconfirmed = self.registration.is_unconfirmed
            booking.cancel(self.registration)
            if unconfirmed:
                messages.success(request, _("The registration is cancelled and its place released."))
            else:
                messages.success(request, _("Your registration is cancelled. We have sent you a confirmation."))
        return redirect(links.manage_url(self.registration, translation.get_language()))


@method_decorator(never_cache, name="dispatch")
class ResendLinkView(EventPageMixin, FormView):
    """ "Send me the link to my registration again": the answer is the same whether the
    address is registered or not; only its inbox can tell."""

    template_name = "registration/resend.html"
    form_class = ResendLinkForm
    url_name = "registration:resend"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.page_url(self.url_name)
        if request.method == "GET" and request.path != canonical:
            return redirect(canonical, permanent=True)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.object, translatable_object=EventPage(self.object, self.url_name))
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if rate_limited(request, "resend"):
            form.is_valid()
            form.add_error(None, too_many_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        notifications.resend_link(self.object, form.cleaned_data["email"])
        return self.render_to_response(self.get_context_data(form=form, sent_to=form.cleaned_data["email"]))
