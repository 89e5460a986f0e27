"""Shared by the dashboard's browser tests: Debian's Chromium, the built export, screenshots and axe-core."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.process import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
WEB_OUT = ROOT / "web" / "out"
AXE_JS = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# A mark, so that a missing browser skips before any server is started for the test.
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                    "(apt-get install -y chromium)")


@contextmanager
def dashboard_server(env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    """A real `parley serve` with the built dashboard, on a fresh embedded Postgres."""
    if not (WEB_OUT / ".built").exists():
        pytest.fail("web/out is not built: run `cd web && npm ci && npm run build` (scripts/test does this).")
    if not AXE_JS.exists():
        pytest.fail("web/node_modules/axe-core is missing: run `cd web && npm ci`.")
    # Outside pytest's tmp dirs: their 0700 parent would lock out the embedded Postgres' system user.
    root = Path(tempfile.mkdtemp(prefix="parley-web-e2e-"))
    proc = ServerProcess(root / "data", env={"PARLEY_RATE_LIMIT_AUTH": "1000/minute", **(env or {})})
    try:
        proc.wait_ready(timeout_s=120)
        yield proc
    finally:
        proc.stop()
        shutil.rmtree(root, ignore_errors=True)


def fill_credentials(page, email: str, password: str, name: str | None = None) -> None:
    """The sign-up (with a name) or sign-in form."""
    if name is not None:
        page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)


class Run:
    """Screenshots per step and axe-core results per page, collected for one assertion at the end."""

    def __init__(self, page, base: str, artifacts: Path) -> None:
        self.page, self.base, self.n, self.artifacts = page, base, 0, artifacts
        self.a11y: list[str] = []
        artifacts.mkdir(parents=True, exist_ok=True)
        for old in artifacts.glob("*.png"):
            old.unlink()

    def shot(self, name: str) -> None:
        self.page.wait_for_timeout(200)  # colour transitions after the axe theme toggles
        self.n += 1
        self.page.screenshot(path=str(self.artifacts / f"{self.n:02d}-{name}.png"), full_page=True)

    def axe(self, name: str, within: str | None = None) -> None:
        """Both themes; the page's own theme is restored afterwards. `within` limits the check to an
        open modal: what lies under its overlay is inert (aria-hidden) and dimmed on purpose."""
        page = self.page
        page.wait_for_timeout(250)  # let fade-in animations finish: half-transparent text fails contrast
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        # Theme switches animate colours (transition-colors): axe must see the settled colours.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
        was_dark = page.evaluate("document.documentElement.classList.contains('dark')")
        for theme in ("light", "dark"):
            page.evaluate("d => document.documentElement.classList.toggle('dark', d)", theme == "dark")
            page.wait_for_timeout(100)
            result = page.evaluate("""async (within) => {
                const r = await axe.run(within ? document.querySelector(within) : document, {resultTypes: ['violations']});
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => ({id: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
            }""", within)
            for v in result:
                self.a11y.append(f"{name} [{theme}] {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]))
        page.evaluate("d => document.documentElement.classList.toggle('dark', d)", was_dark)
