"""Small helpers shared by the tests."""

from django.urls import reverse
from django.utils import translation


def url(name, language, **kwargs):
    """The address of a named page in ``language``: url("events:list", "fr") is "/fr/evenements/"."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def html_of(response):
    return response.content.decode()
