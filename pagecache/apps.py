from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The page cache (pagecache/cache.py says what it keeps and why it is never stale). It knows
    events and registration; they do not know it: it listens to their signals, and fills the
    events' hook for values derived from the whole content (events.derived)."""

    name = "pagecache"

    def ready(self):
        from events import derived

        from . import cache, receivers

        receivers.connect()
        derived.keep_with(cache.remembered, each=cache.remembered_each)
