"""The CSRF token of a page the cache will store: a placeholder, each visitor's own on the way out.

Django's ``{% csrf_token %}`` renders the template variable ``csrf_token``, which its built-in
``csrf`` context processor provides; context processors listed in TEMPLATES run after it, so this
one, listed there, gives the variable another value on the pages the cache will store (and only
there). Forms keep writing ``{% csrf_token %}``; no template knows the page cache. When the
placeholder is rendered, the request is marked (``request.page_cache_csrf``), and the middleware
puts the visitor's own token in its place (pagecache.middleware)."""

from django.utils.functional import SimpleLazyObject

from .cache import CSRF_PLACEHOLDER


def csrf(request):
    if not isinstance(getattr(request, "page_cache_state", None), tuple):
        return {}  # not a page the cache will store: Django's own token

    def placeholder():
        request.page_cache_csrf = True
        return CSRF_PLACEHOLDER

    return {"csrf_token": SimpleLazyObject(placeholder)}
