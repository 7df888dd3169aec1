"""The events' demo content: the 2017 QuattroPole conference and a few fictional sample events.

- ``content``: the data, plain Python (no database);
- ``poster``: the demo posters, drawn with Pillow;
- ``loader``: puts them in the database, idempotently.
"""
