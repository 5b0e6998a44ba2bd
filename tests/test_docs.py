"""The README and docs/: everything they link is inside the repository, and they say how to work here."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _links(path):
    text = path.read_text(encoding="utf-8")
    return re.findall(r"\]\(([^)#\s]+)", text) + re.findall(r"`(\.\./[^`]+)`", text)


def test_every_link_stays_inside_the_repository_and_exists():
    broken = []
    for doc in DOCS:
        for link in _links(doc):
            if re.match(r"[a-z]+://", link):
                continue
            target = (doc.parent / link).resolve()
            if ROOT not in target.parents or not target.exists():
                broken.append(f"{doc.relative_to(ROOT)} → {link}")
    assert broken == []


def test_the_readme_leads_to_the_architecture_and_says_how_to_work():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/ARCHITECTURE.md)" in readme and "../" not in readme
    for needed in ("## Before you start", "make reset-data", "### Where the logs go", "var/mongod.log",
                   "::test_"):
        assert needed in readme
    # The README opens with the two commands, and the prerequisites are said before the first of them.
    first = readme.index("make run")
    assert readme.index("make test") < readme.index("## Before you start")
    assert "Python ≥ 3.11" in readme[:first] and "(#before-you-start)" in readme[:first]


def test_the_architecture_names_modules_that_exist():
    text = (ROOT / "docs/ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:webapp/)?(?:services|models|views|jobs)/[\w/]+\.py|webapp/[\w]+\.py)", text))
    named |= {f"webapp/{n}" for n in re.findall(r"`([a-z_]+\.py)`", text) if (ROOT / "webapp" / n).exists()}
    assert len(named) > 15
    missing = sorted(n for n in named if not (ROOT / n).exists() and not (ROOT / "webapp" / n).exists())
    assert missing == []
