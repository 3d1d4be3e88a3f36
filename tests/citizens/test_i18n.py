"""Eight languages: every text of the citizen pages is in every catalogue, the language is
chosen by ?lang=, the household's setting or Accept-Language, numbers follow the locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from town import Town

from sparcs.i18n import LANGUAGES
from sparcs.i18n.catalogue import missing_messages, template_ids
from sparcs.server.citizen import votes
from sparcs.server.citizen.language import DOMAIN, choose_language, texts

SOURCE = Path(votes.__file__).parent
USED = re.compile(r'(?:\b_|gettext)\("((?:[^"\\]|\\.)+)"\)')


def _used_ids() -> set[str]:
    found = set(votes.KPI_NAMES.values())
    for path in SOURCE.rglob("*"):
        if path.suffix in (".html", ".py"):
            found |= set(USED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_text_is_in_the_template_and_every_language() -> None:
    ids = set(template_ids(DOMAIN))
    assert _used_ids() - ids == set(), "run the catalogue update: msgids missing in citizens.pot"
    for language in LANGUAGES[1:]:
        assert missing_messages(language, DOMAIN) == [], language


def test_a_missing_translation_would_be_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sparcs.i18n import catalogue

    folder = tmp_path / "fi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (tmp_path / f"{DOMAIN}.pot").write_text('msgid "Save"\nmsgstr ""\n\nmsgid "Vote"\nmsgstr ""\n')
    (folder / f"{DOMAIN}.po").write_text('msgid "Save"\nmsgstr "Tallenna"\n')
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    assert missing_messages("fi", DOMAIN) == ["Vote"]


def test_the_language_is_chosen_by_query_setting_then_browser() -> None:
    assert choose_language(None, None, None) == "en"
    assert choose_language(None, None, "cs-CZ,cs;q=0.9,en;q=0.8") == "cs"
    assert choose_language(None, None, "fr-FR,en;q=0.1,el;q=0.5") == "el"
    assert choose_language(None, "is", "de") == "is"
    assert choose_language("uk", "is", "de") == "uk"
    assert choose_language("xx", None, "pt-BR") == "pt"


def test_numbers_and_dates_follow_the_locale() -> None:
    assert texts("en").kwh(1234.5) == "1,234.5\u00a0kWh"
    assert texts("de").kwh(1234.5) == "1.234,5\u00a0kWh"
    assert texts("fi").kwh(1234.5) == "1\u00a0234,5\u00a0kWh"
    from datetime import date

    assert texts("fi").date(date(2025, 3, 1)) == "1.3.2025"
    assert texts("de").date(date(2025, 3, 1)) == "01.03.2025"


def test_every_page_in_every_language_has_its_lang_and_words(town: Town) -> None:
    town.login("h1")
    for language in LANGUAGES:
        page = town.client.get(f"/citizen/h1?lang={language}")
        assert f'<html lang="{language}">' in page.text
        assert page.headers["content-language"] == language
        assert texts(language).gettext("Where your electricity came from") in page.text
    browser = town.client.get("/citizen/h1", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in browser.text and "Woher Ihr Strom kam" in browser.text
    town.client.cookies.clear()
