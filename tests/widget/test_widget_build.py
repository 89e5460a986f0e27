"""The widget's own checks, run from the Python suite so CI covers them.

- `npm test` in widget/ (vitest: loader API and queue, postMessage origin checks, markdown sanitizer,
  length counter, offline queue, i18n, transports);
- the build output that the server serves: sizes within budget, a strict CSP on frame.html, hashed
  long-cache assets, and no postMessage to "*".
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import os
import subprocess
from pathlib import Path

import pytest

WIDGET = Path(__file__).resolve().parents[2] / "widget"
DIST = WIDGET / "dist"

needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="Node.js/npm not installed")
needs_build = pytest.mark.skipif(not (DIST / ".built").exists(), reason="widget not built (npm run build)")


@needs_npm
def test_widget_unit_tests_pass() -> None:
    if not (WIDGET / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WIDGET, check=True, timeout=600)
    # No colours: CI's environment may ask for them, and escape codes would split the summary line.
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", "CI": "true"}
    result = subprocess.run(["npm", "test", "--silent"], cwd=WIDGET, capture_output=True, text=True, timeout=600,
                            env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"Tests\s+\d+ passed", output), output[-2000:]


@needs_build
def test_loader_and_app_fit_their_size_budgets() -> None:
    loader = len(gzip.compress((DIST / "widget.js").read_bytes(), 9))
    app = sum(len(gzip.compress(p.read_bytes(), 9)) for p in (DIST / "app").iterdir() if p.suffix in {".js", ".css"})
    assert loader <= 5 * 1024, f"widget.js is {loader} bytes gzipped"
    assert app <= 40 * 1024, f"the iframe app is {app} bytes gzipped"
    assert json.loads((DIST / ".built").read_text())["loader"] > 0


@needs_build
def test_frame_html_is_locked_down() -> None:
    html = (DIST / "frame.html").read_text()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp, html
    policy = csp.group(1)
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # Every script is an external, content-hashed file under app/ (long cache); none inline.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    for src in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html):
        assert re.search(r"/app/[\w.-]+-[\w-]{8}\.(js|css)$", src), src


@needs_build
def test_no_wildcard_postmessage() -> None:
    for path in [DIST / "widget.js", *(DIST / "app").glob("*.js")]:
        code = path.read_text()
        assert not re.search(r"""postMessage\([^)]*,\s*["'`]\*["'`]""", code), path
