"""Every template served to a browser keeps script and style in static files: the CSP allows nothing inline."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
# E-mail bodies are read by mail programs, which ignore style sheets: inline style is how e-mail is written.
NOT_SERVED = ("email/",)

INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "on* handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on (evaluated code)": re.compile(r"\s(data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "js: hx-vals": re.compile(r"hx-vals\s*=\s*['\"]\s*js:", re.I),
}


def served_templates():
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                  if not str(p.relative_to(TEMPLATES)).startswith(NOT_SERVED))


def test_the_walk_finds_the_templates():
    assert len(served_templates()) > 50 and "base.html" in served_templates()


@pytest.mark.parametrize("name", served_templates())
def test_template_has_no_inline_script_or_style(name):
    text = re.sub(r"{#.*?#}", "", (TEMPLATES / name).read_text(), flags=re.S)  # comments never reach the page
    found = [f"{what}: {m.group(0).strip()!r}" for what, pattern in INLINE.items() for m in pattern.finditer(text)]
    assert found == []


def test_htmx_injects_no_style_and_evaluates_no_code():
    base = (TEMPLATES / "base.html").read_text()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', base).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config
