"""Tools for developing the site, not part of it: the local servers the tests and `make bench` start."""
