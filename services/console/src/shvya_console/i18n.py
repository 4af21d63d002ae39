"""The console's words, kept for translation: every text a person reads is marked with `_()`.

Templates mark text with `{{ _("...") }}` and Python with `_()` from here; `make console-messages`
extracts them all into `locale/messages.pot`, the one file a translator works from, and a test
fails when that file is stale. With no catalogue installed the marked text is shown as written."""

from __future__ import annotations

import gettext as _gettext

# Replaced by a real catalogue (gettext.translation(...)) once one exists; NullTranslations keeps
# the source text.
_catalogue: _gettext.NullTranslations = _gettext.NullTranslations()


def _(message: str) -> str:
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)


def catalogue() -> _gettext.NullTranslations:
    return _catalogue
