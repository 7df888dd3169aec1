"""The query parameters of the API's list and of the embeds, in their canonical order: the views
read them, the page cache's canonical addresses (pagecache/addresses.py) write them so."""

EVENT_LIST = (
    "city",
    "category",
    "project_group",
    "when",
    "from",
    "to",
    "updated_since",
    "status",
    "attendance_mode",
    "accessibility",
    "language",
    "interpretation",
    "ordering",
    "page",
    "page_size",
)
EMBED = ("city", "category", "project_group")
