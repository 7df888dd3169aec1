"""Two pages for tests/test_typography.py: one French with a missing no-break space, one German."""

from django.http import HttpResponse
from django.urls import path


def page(language, text):
    return lambda request: HttpResponse(
        f'<!doctype html><html lang="{language}"><title>x</title><p>{text}</p></html>',
        headers={"Content-Language": language},
    )


urlpatterns = [
    path("fr/lieu/", page("fr", "Lieu: Metz")),
    path("de/ort/", page("de", "Ort: Metz")),
]
