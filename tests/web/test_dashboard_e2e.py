"""The dashboard end to end, in Debian's Chromium, against a real `parley serve`.

sign up → create a bot → upload documents and watch them reach "ready" → ask in the preview and
see a cited answer → change the colour and see the preview change → copy the embed code → find
the conversation. A screenshot per step goes to test-artifacts/dashboard/, and axe-core checks
every page in light and dark (no serious or critical violations).
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.web.browser import ROOT, Run, dashboard_server, fill_credentials, needs_chromium

pytestmark = [pytest.mark.slow, needs_chromium]

DOCS = ROOT / "tests" / "fixtures" / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "dashboard"
UPLOADS = ["wiki_duck.html", "wiki_ibm.md", "word_sample.docx", "amt_handbook_sample.pdf"]
EMAIL, PASSWORD = "e2e-owner@example.com", "a long e2e passphrase"


@pytest.fixture(scope="module")
def server():
    with dashboard_server() as proc:
        yield proc


def has_endpoint(base: str, path: str) -> bool:
    return path in httpx.get(f"{base}/openapi.json", timeout=10).json()["paths"]


def test_dashboard_end_to_end(server, browser):
    from playwright.sync_api import expect

    base = server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console_errors: list[str] = []
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    run = Run(page, base, ARTIFACTS)
    pending: list[str] = []

    # 1. Sign up: lands on the bot list with the "create a bot" dialog open.
    page.goto("/signup/")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    run.axe("signup")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Enter an email address like name@example.com.")).to_be_visible()
    fill_credentials(page, EMAIL, PASSWORD, name="Ada")
    run.shot("signup")
    page.get_by_role("button", name="Create account").click()
    dialog = page.get_by_role("dialog", name="Create a bot")
    expect(dialog).to_be_visible()
    run.axe("create-bot-dialog", within="[role=dialog]")
    run.shot("create-bot")

    # 2. Create a bot from the support template.
    dialog.get_by_label("Customer support").check()
    dialog.get_by_label("Bot name").fill("E2E support bot")
    dialog.get_by_role("button", name="Create bot").click()
    page.wait_for_url("**/bots/?id=*&tab=knowledge")
    bot_id = page.url.split("id=")[1].split("&")[0]
    expect(page.get_by_role("heading", name="E2E support bot")).to_be_visible()

    # 3. Upload the documents and watch every one reach "ready".
    page.get_by_label("Upload files").set_input_files([str(DOCS / name) for name in UPLOADS])
    items = page.get_by_test_id("upload-item")
    expect(items).to_have_count(len(UPLOADS))
    page.wait_for_timeout(300)
    run.shot("uploading")
    expect(page.locator("[data-testid=upload-item][data-phase=failed]")).to_have_count(0)
    expect(page.locator("[data-testid=upload-item][data-phase=ready]")).to_have_count(len(UPLOADS), timeout=240_000)
    expect(page.locator("[data-testid=source-row][data-status=ready]")).to_have_count(len(UPLOADS))
    run.axe("knowledge")
    run.shot("knowledge-ready")

    # The retrieval tester shows passages with scores and locations.
    page.get_by_label("Question").fill("Where do ducks live?")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("search-hit").first).to_be_visible()
    expect(page.get_by_test_id("search-hit").first).to_contain_text("Relevance")
    run.shot("search-tester")

    # 4. Preview: ask, get a streamed answer with citations, open "why this answer".
    page.get_by_role("tab", name="Preview").click()
    if has_endpoint(base, "/api/v1/bots/{bot_id}/chat"):
        chat = page.get_by_test_id("test-chat")
        chat.get_by_label("Your message").fill("What is a duck?")
        chat.get_by_role("button", name="Send").click()
        answer = chat.get_by_test_id("bot-answer").last
        expect(answer.get_by_role("button", name="Why this answer?")).to_be_visible(timeout=120_000)
        expect(answer).to_contain_text("source")
        run.axe("preview")
        run.shot("preview-answer")
        answer.get_by_role("button", name="Why this answer?").click()
        drawer = page.get_by_role("dialog", name="Why this answer")
        expect(drawer.get_by_test_id("citation").first).to_be_visible()
        expect(drawer.get_by_test_id("retrieved")).to_contain_text("#1")
        run.axe("why-drawer", within="[role=dialog]")
        run.shot("why-this-answer")
        page.keyboard.press("Escape")
    else:
        pending.append("chat endpoint (POST /bots/{id}/chat) is not on this server yet")
    expect(page.get_by_test_id("widget-frame")).to_be_visible()

    # 5. Appearance: change the colour, see the live preview follow, save.
    page.get_by_role("tab", name="Appearance").click()
    preview = page.get_by_test_id("widget-preview")
    expect(preview).to_be_visible()
    before = preview.get_attribute("data-primary")
    page.get_by_role("button", name="Use colour #be123c").click()
    expect(preview).to_have_attribute("data-primary", "#be123c")
    assert before != "#be123c"
    header_bg = page.get_by_test_id("widget-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_bg == "rgb(190, 18, 60)", header_bg
    page.get_by_label("Window title").fill("Ask Ada")
    expect(preview).to_contain_text("Ask Ada")
    expect(page.get_by_role("region", name="Unsaved changes")).to_be_visible()
    run.axe("appearance")
    run.shot("appearance")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("region", name="Unsaved changes")).to_be_hidden()
    saved = httpx.get(f"{base}/api/v1/bots/{bot_id}",
                      headers={"authorization": f"Bearer {access_token(page)}"}).json()
    assert saved["config"]["appearance"]["primary_color"] == "#be123c"

    # 6. Embed: allow a site, copy the script tag.
    page.get_by_role("tab", name="Embed").click()
    page.get_by_label("Site address to allow").fill("shop.example.com")
    page.get_by_role("button", name="Allow site").click()
    expect(page.get_by_role("list", name="Allowed sites")).to_contain_text("https://shop.example.com")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("region", name="Unsaved changes")).to_be_hidden()
    page.get_by_test_id("copy-embed").click()
    expect(page.get_by_test_id("copy-embed")).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f'data-bot="{saved["public_key"]}"' in copied and f"{base}/widget.js" in copied, copied
    run.axe("embed")
    run.shot("embed")

    # The other editor tabs are reachable and accessible too.
    for tab in ("Behaviour", "Tools"):
        page.get_by_role("tab", name=tab).click()
        run.axe(tab.lower())
    run.shot("tools")

    # 7. Conversations: the preview's conversation is listed with its transcript.
    page.get_by_role("tab", name="Conversations").click()
    if has_endpoint(base, "/api/v1/bots/{bot_id}/conversations") and not pending:
        row = page.get_by_test_id("conversation-row").first
        expect(row).to_be_visible()
        run.axe("conversations")
        run.shot("conversations")
        row.click()
        transcript = page.get_by_role("dialog", name="Transcript")
        expect(transcript).to_contain_text("What is a duck?")
        run.axe("transcript", within="[role=dialog]")
        run.shot("transcript")
        page.keyboard.press("Escape")
    else:
        pending.append("conversations are not on this server yet (or no chat to list)")

    # The rest of the dashboard: bot list, team, API keys, audit log, account, phone size.
    for path, heading in (("/bots/", "Bots"), ("/org/", "Team"), ("/org/api-keys/", "API keys"),
                          ("/org/audit/", "Audit log"), ("/account/", "Account")):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        run.axe(path.strip("/").replace("/", "-"))
    page.goto("/org/api-keys/")
    page.get_by_label("Name").fill("ci")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_text("Copy your new key now")).to_be_visible()
    run.shot("api-key-created")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/bots/?id={bot_id}&tab=knowledge")
    expect(page.get_by_role("heading", name="E2E support bot")).to_be_visible()
    expect(page.locator("[data-testid=source-row][data-status=ready]")).to_have_count(len(UPLOADS))
    run.axe("knowledge-phone")
    run.shot("phone-knowledge")

    # Log out; the login page is accessible too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/bots/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")
    run.axe("login")
    page.goto("/invite/?token=not-a-real-token")
    expect(page.get_by_role("heading", name="You're invited")).to_be_visible()
    run.axe("invite")

    # Benchmark (after the axe checks): from pressing "Sign in" to a bot list that answers clicks.
    page.goto("/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    started = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("E2E support bot").first).to_be_visible()
    print(f"\ndashboard: login → interactive bot list {(time.perf_counter() - started) * 1000:.0f} ms")

    context.close()
    assert not console_errors, console_errors
    assert not run.a11y, "axe-core found serious or critical problems:\n" + "\n".join(run.a11y)
    if pending:
        pytest.xfail("; ".join(pending))


def access_token(page) -> str:
    return json.loads(page.evaluate("localStorage.getItem('parley.session')"))["access"]
