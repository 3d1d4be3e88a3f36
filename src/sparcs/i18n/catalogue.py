"""Message catalogues: gettext ``.po`` files compiled in memory with Babel, one domain each.

Layout: ``locale/<domain>.pot`` is the template (every msgid, extracted from the source with
``pybabel extract``), ``locale/<lang>/LC_MESSAGES/<domain>.po`` the translation into each
language of :data:`sparcs.i18n.LANGUAGES` but English, whose msgids are the text.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sparcs.errors import DataError

__all__ = ["LOCALE_DIR", "catalogue", "missing_messages", "template_ids", "translations"]

#: Folder of the catalogues.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _read(path: Path, locale: str | None = None) -> Catalog:
    if not path.is_file():
        msg = f"message catalogue {path} is missing; reinstall sparcs"
        raise DataError(msg)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def template_ids(domain: str) -> list[str]:
    """The msgids of a domain's template.

    Parameters
    ----------
    domain
        Catalogue domain, e.g. ``"community"``.

    Returns
    -------
    list of str
        Every msgid of ``locale/<domain>.pot``, in file order.
    """
    return [str(m.id) for m in _read(LOCALE_DIR / f"{domain}.pot") if m.id]


def catalogue(language: str, domain: str) -> Catalog:
    """The catalogue of one language and domain.

    Parameters
    ----------
    language
        Language code (not ``en``, which has no catalogue).
    domain
        Catalogue domain.

    Returns
    -------
    babel.messages.catalog.Catalog
        The parsed ``.po`` file.
    """
    return _read(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po", locale=language)


@cache
def translations(language: str, domain: str) -> gettext.NullTranslations:
    """The gettext translations of a language and domain (English: the msgids themselves).

    Parameters
    ----------
    language
        Language code of :data:`sparcs.i18n.LANGUAGES`.
    domain
        Catalogue domain.

    Returns
    -------
    gettext.NullTranslations
        ``.gettext(msgid)`` gives the text in ``language``.
    """
    if language == "en":
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(language, domain))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def missing_messages(language: str, domain: str) -> list[str]:
    """Msgids of the template that a language's catalogue lacks or leaves untranslated.

    Parameters
    ----------
    language
        Language code.
    domain
        Catalogue domain.

    Returns
    -------
    list of str
        The msgids without a translation (fuzzy ones count as missing).
    """
    found = catalogue(language, domain)
    missing = []
    for msgid in template_ids(domain):
        message = found.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(msgid)
    return missing
