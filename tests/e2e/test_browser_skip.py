"""Without chromium a local run skips the browser tests and says so plainly; under CI they fail instead."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_browser_test(**env):
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(CHROMIUM_BIN="/nonexistent/chromium", **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/e2e/test_login_browser.py"],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)


def test_missing_chromium_is_a_loud_skip_locally_and_a_failure_under_ci():
    local = run_browser_test()
    assert local.returncode == 0, local.stdout
    assert "1 BROWSER TEST(S) SKIPPED: browser tests need Debian's chromium at /nonexistent/chromium" in local.stdout
    ci = run_browser_test(CI="true")
    assert ci.returncode != 0 and "1 error" in ci.stdout and "SKIPPED" not in ci.stdout
    assert "browser tests need Debian's chromium" in ci.stdout
