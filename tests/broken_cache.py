"""A cache backend that fails at everything, as Redis does when it is gone."""

from django.core.cache.backends.base import BaseCache


class CacheUnavailable(ConnectionError):
    pass


class BrokenCache(BaseCache):
    def __init__(self, location=None, params=None):
        super().__init__(params or {})

    def _fail(self, *args, **kwargs):
        raise CacheUnavailable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = get_many = set_many = delete_many = clear = incr = decr = has_key = _fail
