"""The stylesheets: the keyboard focus ring is visible (≥ 3:1, WCAG 2.2 non-text contrast) wherever it is drawn."""
import re
from pathlib import Path

CSS = sorted((Path(__file__).resolve().parents[1] / "webapp/static/css").glob("*.css"))
MINIMUM = 3.0


def luminance(hex_colour):
    """WCAG relative luminance of #rgb / #rrggbb."""
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(h[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text():
    return "\n".join(p.read_text(encoding="utf-8") for p in CSS)


def _variables(text):
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", text))


def _resolve(value, variables):
    value = value.strip()
    match = re.fullmatch(r"var\(--([\w-]+)\)", value)
    return variables.get(match.group(1)) if match else (value if re.fullmatch(r"#[0-9a-fA-F]{3,6}", value) else None)


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#f2b705", "#ffffff"), 2) == 1.82  # the old ring: far too faint on white


def test_the_focus_ring_stands_out_on_every_light_background():
    text = _text()
    variables = _variables(text)
    ring = variables["focus-color"]
    backgrounds = {c for v in re.findall(r"background(?:-color)?:\s*([^;}\s]+)", text)
                   if (c := _resolve(v, variables)) and luminance(c) > 0.4}
    assert {"#fff", variables["bg"], variables["panel"]} <= backgrounds
    faint = sorted(f"{bg}: {contrast(ring, bg):.2f}" for bg in backgrounds if contrast(ring, bg) < MINIMUM)
    assert faint == []


def test_the_top_bar_ring_stands_out_on_the_brand_colour():
    text = _text()
    variables = _variables(text)
    topbar = re.search(r"\.topbar :focus-visible\s*\{\s*outline-color:\s*([^;]+);", text).group(1)
    assert contrast(_resolve(topbar, variables), variables["brand"]) >= MINIMUM


def test_no_rule_draws_the_ring_in_a_colour_of_its_own():
    colours = re.findall(r"outline(?:-color)?:\s*([^;}]+)", _text())
    stray = [c for c in colours if "#" in c or "rgb" in c]
    assert stray == [], "use var(--focus-color) or var(--focus-on-brand)"
