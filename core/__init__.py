"""The ground floor: helpers every app may use and that know no app — text that cannot break a
page, a feed, a calendar file or an e-mail (text.py), e-mails built within the rules of e-mail
(mail.py). Nothing here imports events, registration or quattropole_site (import-linter's
layers contract in pyproject.toml)."""
