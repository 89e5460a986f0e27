"""The widget's smoke test in Debian's firefox-esr, driven by puppeteer-core (widget/tests/e2e/firefox-smoke.mjs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = Path("/usr/bin/firefox-esr")
WIDGET = ROOT / "widget"
SCRIPT = WIDGET / "tests" / "e2e" / "firefox-smoke.mjs"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not FIREFOX.exists(), reason="Debian's firefox-esr is not installed"),
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(not (WIDGET / "node_modules" / "puppeteer-core").exists(),
                       reason="puppeteer-core is not installed (npm ci in widget/)"),
    pytest.mark.skipif(not (WIDGET / "dist" / "widget.js").exists(), reason="the widget is not built"),
]


def test_ask_stream_cite_and_reload_in_firefox(stack):
    started = time.perf_counter()
    run = subprocess.run(["node", str(SCRIPT), stack["site"], "Where is your warehouse?", "Lyon"],
                         cwd=WIDGET, capture_output=True, text=True, timeout=150,
                         env={**os.environ, "FIREFOX": str(FIREFOX)})
    lines = run.stdout.strip().splitlines()
    assert run.returncode == 0 and lines, f"exit {run.returncode}\n{run.stdout}\n{run.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert result["ok"] is True
    assert result["citations"] >= 1
    assert result["partials"] >= 2, "the answer should appear in several steps (streamed)"
    assert result["page_errors"] == []
    print(f"\nwidget in {result['browser']}: launcher visible {result['launcher_visible_ms']} ms after navigation, "
          f"panel ready {result['panel_ready_ms']} ms after click, answer {result['answer_ms']} ms "
          f"({result['partials']} streamed steps), "
          f"history after reload {result['history_after_reload_ms']} ms; "
          f"whole run {(time.perf_counter() - started):.1f} s")
