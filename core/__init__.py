"""The ground floor: helpers every layer may use, which know none of the apps.

- ``text``: text that cannot break a page, a feed, a calendar file or an e-mail;
- ``mail``: e-mails that can always be built and sent.

A plain package, not an app (no models, templates or settings of its own). It imports nothing of
``events``, ``registration``, ``pagecache`` or ``quattropole_site`` (docs/architecture.md).
"""
