"""What the Sekretariat may do with the pages app: (app label, model, action), given to the group by
quattropole_site/roles.py (PagesConfig.secretariat_permissions)."""

PERMISSIONS = [
    *[
        ("pages", model, action)
        for model in ("sitepage", "signlanguagevideo", "organisation", "accessibilitystatement", "manualfinding")
        for action in ("add", "change", "delete", "view")
    ],
    # Feedback arrives through the form: staff read it and keep its status, never invent one.
    ("pages", "feedback", "view"),
    ("pages", "feedback", "change"),
    # Audits are imported with `manage.py import_audit`; staff read them.
    ("pages", "auditrun", "view"),
    ("pages", "auditpage", "view"),
    ("pages", "auditfinding", "view"),
]
