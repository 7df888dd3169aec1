"""Middleware of the whole site (not of the events app)."""

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a year (the longest cache lifetime browsers and proxies honour, RFC 9111)
    rather than ten for files whose name carries a hash of their content; such a file never
    changes, so browsers do not even revalidate it ("immutable")."""

    FOREVER = 365 * 24 * 60 * 60
