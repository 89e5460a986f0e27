"""The dashboard's own checks, so the project's single pytest command covers them:
Vitest component tests, and the generated API client kept in step with the server's OpenAPI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from parley.app import create_app

WEB = Path(__file__).resolve().parents[2] / "web"
NPM = shutil.which("npm")


def needs_node_modules() -> None:
    if NPM is None:
        pytest.skip("npm is not installed (Node 20 is needed for web/)")
    if not (WEB / "node_modules").is_dir():
        pytest.fail("web/node_modules is missing: run `cd web && npm ci` (scripts/test does this).")


def test_openapi_json_is_current():
    """web/openapi.json is what the server publishes; regenerate it after API changes (see web/README.md)."""
    committed = json.loads((WEB / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(create_app().openapi())), (
        "web/openapi.json is stale: regenerate it and run `npm run gen:api` (see web/README.md)")


@pytest.mark.slow
def test_generated_client_matches_openapi_json():
    needs_node_modules()
    run = subprocess.run([NPM, "run", "--silent", "check:api"], cwd=WEB, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_vitest_suite_passes():
    needs_node_modules()
    run = subprocess.run([NPM, "test", "--silent"], cwd=WEB, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "CI": "true", "NO_COLOR": "1"})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
