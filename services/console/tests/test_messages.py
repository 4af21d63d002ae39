"""Every text of the console is in its catalogue template, so that a translator has all of it."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "services/console/src/shvya_console/locale/messages.pot"


def test_the_catalogue_template_holds_every_marked_text(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([str(ROOT / "scripts/console_messages.sh"), str(fresh)], check=True)
    assert fresh.read_text() == CATALOGUE.read_text(), (
        "the console's texts changed: run `make console-messages`"
    )


def test_a_page_template_has_no_text_outside_the_catalogue():
    """Text between tags must come from _(): a word written straight into the HTML would stay
    English in every translation."""
    import re

    templates = ROOT / "services/console/src/shvya_console/templates"
    # Text nodes: what lies between a tag's end and the next tag, ignoring Jinja statements,
    # expressions and whitespace; a few symbols (arrows, separators) are not words.
    bare = []
    for path in templates.rglob("*.html"):
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", path.read_text(), flags=re.S)
        source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
        for text in re.findall(r">([^<]+)<", source):
            words = re.findall(r"[A-Za-z]{2,}", text)
            # The product's name is the same in every language.
            if any(word != "Shvya" for word in words):
                bare.append(f"{path.relative_to(templates)}: {text.strip()[:60]!r}")
    assert not bare, "text not marked for translation:\n" + "\n".join(bare)


def test_a_text_with_a_placeholder_is_given_its_value_inside_the_call():
    """With Jinja's new-style gettext, `_("%(n)d min")` alone raises (it formats with no values),
    and `_("...") | format(...)` formats after translation, which a translator's reordering breaks:
    the values go into the call, `_("%(n)d min", n=...)`."""
    import re

    templates = ROOT / "services/console/src/shvya_console/templates"
    wrong = [
        f"{path.relative_to(templates)}: {call}"
        for path in templates.rglob("*.html")
        for call in re.findall(r"_\(\"[^\"]*%\([^\"]*\"\)", path.read_text())
    ]
    assert not wrong, "\n".join(wrong)
