"""Settings: read from the environment in webapp/config.py only, each one listed in the README, bad values named."""
import re
from pathlib import Path

import pytest
from flask import Flask

from webapp import config

ROOT = Path(__file__).resolve().parents[1]
# The only module of the app that reads the environment (the local stack launcher, localstack/, is not the app).
ENV_READERS = {"webapp/config.py"}
LAUNCHER = sorted((ROOT / "localstack").glob("*.py"))
CODE = sorted([*ROOT.glob("webapp/**/*.py"), ROOT / "worker.py", ROOT / "wsgi.py"])


def _source(path):
    return path.read_text(encoding="utf-8")


def test_only_config_reads_the_environment():
    readers = {str(p.relative_to(ROOT)) for p in CODE if re.search(r"\benviron\b|\bgetenv\b", _source(p))}
    assert readers <= ENV_READERS, f"read settings in webapp/config.py, not in {sorted(readers - ENV_READERS)}"


def test_every_setting_the_code_reads_is_defined_by_config():
    keys = {key for p in CODE if p.name != "config.py"
            for key in re.findall(r"config(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]+)[\"']", _source(p))}
    settings = config.load("testing")
    undefined = sorted(k for k in keys if not hasattr(settings, k) and k not in Flask.default_config)
    assert keys and undefined == []


def test_no_setting_hides_a_second_default_in_the_code():
    defaults = sorted(f"{p.relative_to(ROOT)}: {m}" for p in CODE if p.name != "config.py"
                      for m in re.findall(r"config\.get\(\s*[\"'][A-Z_]+[\"']\s*,[^)]*\)", _source(p)))
    assert defaults == [], "the default belongs in webapp/config.py"


def test_every_environment_variable_is_in_the_readme():
    names = set(re.findall(r"_(?:env|int|float|seconds_list)\(\s*\"([A-Z][A-Z0-9_]+)\"", _source(ROOT / "webapp/config.py")))
    names |= set(re.findall(r"environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\"",
                            "".join(_source(p) for p in LAUNCHER)))
    names |= set(re.findall(r"_port\(\"([A-Z_]+)\"", "".join(_source(p) for p in LAUNCHER)))
    readme = _source(ROOT / "README.md")
    assert {"OUTBOX_BACKOFF", "MAIL_TIMEOUT", "CONFIRM_RETRY_INTERVALS", "MONGO_PORT"} <= names
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_the_outbox_and_mail_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONFIRM_RETRY_INTERVALS", "5, 60")
    monkeypatch.setenv("OUTBOX_BACKOFF", "0.5")
    monkeypatch.setenv("OUTBOX_BREAKER_RESET", "30")
    monkeypatch.setenv("OUTBOX_ENQUEUE_WAIT", "0.1")
    monkeypatch.setenv("MAIL_TIMEOUT", "3")
    settings = config.load("testing")
    assert settings.CONFIRM_RETRY_INTERVALS == [5, 60]
    assert (settings.OUTBOX_BACKOFF, settings.OUTBOX_BREAKER_RESET, settings.OUTBOX_ENQUEUE_WAIT,
            settings.MAIL_TIMEOUT) == (0.5, 30.0, 0.1, 3.0)


@pytest.mark.parametrize("name, value", [("MAIL_TIMEOUT", "ten"), ("CONFIRM_RETRY_INTERVALS", "30,2min"),
                                         ("SESSION_HOURS", "")])
def test_a_bad_value_is_refused_at_start_up_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=name):
        config.load("testing")


# Out-of-range numbers are refused when the app is made, naming the setting and its range — not later, inside a
# command or a request (OUTBOX_KEEP_DAYS=-1 used to pass and then fail in `flask init-db` with mongod's own error).
@pytest.mark.parametrize("name, value, allowed", [
    ("OUTBOX_KEEP_DAYS", "-1", "from 0 to 3650"), ("HOLD_SECONDS", "0", "from 1 to 86400"),
    ("MAIL_PORT", "70000", "from 1 to 65535"), ("WORKER_NICE", "20", "from 0 to 19"),
    ("MAIL_TIMEOUT", "-0.5", "from 0.1 to 3600"), ("OUTBOX_BACKOFF", "nan", "from 0 to 3600"),
    ("SESSION_HOURS", "0", "from 1 to 720"), ("CONFIRM_RETRY_INTERVALS", "30,-5", "from 1 to 86400")])
def test_a_number_out_of_its_range_stops_the_app_being_made(monkeypatch, name, value, allowed):
    from webapp import create_app

    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError) as refused:
        create_app()
    assert name in str(refused.value) and allowed in str(refused.value) and repr(value) in str(refused.value)


def test_the_ends_of_each_range_are_accepted(monkeypatch):
    monkeypatch.setenv("OUTBOX_KEEP_DAYS", "0")
    monkeypatch.setenv("WORKER_NICE", "19")
    monkeypatch.setenv("MAIL_PORT", "65535")
    monkeypatch.setenv("CANCELLATION_BATCH_DELAY", "0")
    settings = config.load("testing")
    assert (settings.OUTBOX_KEEP_DAYS, settings.WORKER_NICE, settings.MAIL_PORT) == (0, 19, 65535)
    assert settings.CANCELLATION_BATCH_DELAY == 0.0


def test_every_number_setting_has_a_range():
    """A number read without bounds is how OUTBOX_KEEP_DAYS=-1 got through: each one names its range."""
    source = _source(ROOT / "webapp/config.py")
    reads = re.findall(r"_(?:int|float)\(\s*\"([A-Z][A-Z0-9_]+)\"\s*,([^\n]*)\)", source)
    assert len(reads) >= 30
    assert [name for name, args in reads if args.count(",") < 2] == []
