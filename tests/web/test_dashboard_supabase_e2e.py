"""The dashboard with Supabase Auth, in Debian's Chromium: supabase-js talks to a local GoTrue
(tests/fakes/supabase_auth.py) straight from the browser, and `parley serve` accepts its tokens.

sign up (Supabase) → workspace made, bot created → the expired session is refreshed by supabase-js →
sign out (Supabase too) → a wrong password is explained → sign in → the bot list.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.fakes.base import serve_app
from tests.fakes.supabase_auth import FakeSupabaseAuth
from tests.web.browser import ROOT, Run, dashboard_server, fill_credentials, needs_chromium

pytestmark = [pytest.mark.slow, needs_chromium]

ARTIFACTS = ROOT / "test-artifacts" / "dashboard-supabase"
JWT_SECRET = "e2e-supabase-jwt-secret-with-at-least-32-characters"
EMAIL, PASSWORD = "grace@example.com", "a long supabase passphrase"


@pytest.fixture(scope="module")
def supabase():
    fake = FakeSupabaseAuth(jwt_secret=JWT_SECRET)
    with serve_app(fake.app) as base_url:
        yield fake, base_url


@pytest.fixture(scope="module")
def server(supabase):
    fake, base_url = supabase
    env = {"SUPABASE_URL": base_url, "SUPABASE_ANON_KEY": fake.anon_key, "SUPABASE_JWT_SECRET": JWT_SECRET}
    with dashboard_server(env) as proc:
        yield proc


STORED_SESSIONS = """() => {
    const key = Object.keys(localStorage).find(k => k.startsWith('sb-') && k.endsWith('-auth-token'));
    return {key, supabase: key ? JSON.parse(localStorage.getItem(key)) : null,
            parley: JSON.parse(localStorage.getItem('parley.session'))};
}"""


def test_supabase_sign_up_refresh_sign_out_and_sign_in(supabase, server, browser):
    from playwright.sync_api import expect

    fake, _ = supabase
    base = server.url
    assert httpx.get(f"{base}/api/v1/auth/config").json()["provider"] == "supabase"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console_errors: list[str] = []
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    run = Run(page, base, ARTIFACTS)

    # Sign up through supabase-js: Supabase holds the account, Parley makes the workspace.
    page.goto("/signup/")
    fill_credentials(page, EMAIL, PASSWORD, name="Grace")
    run.shot("signup")
    page.get_by_role("button", name="Create account").click()
    dialog = page.get_by_role("dialog", name="Create a bot")
    expect(dialog).to_be_visible()
    assert "POST /auth/v1/signup" in fake.calls
    stored = page.evaluate(STORED_SESSIONS)
    assert stored["supabase"]["user"]["email"] == EMAIL
    assert stored["parley"]["provider"] == "supabase"
    assert stored["parley"]["access"] == stored["supabase"]["access_token"]
    me = httpx.get(f"{base}/api/v1/me", headers={"authorization": f"Bearer {stored['parley']['access']}"}).json()
    assert me["user"]["name"] == "Grace" and [o["name"] for o in me["organizations"]] == ["Grace's workspace"]

    dialog.get_by_label("Customer support").check()
    dialog.get_by_label("Bot name").fill("Supabase bot")
    dialog.get_by_role("button", name="Create bot").click()
    expect(page.get_by_role("heading", name="Supabase bot")).to_be_visible()
    run.shot("bot-created")

    # Unsaved edits survive the browser's Back button unless the person agrees to discard them.
    page.get_by_role("tab", name="Appearance").click()
    page.get_by_label("Window title").fill("Ask Grace")
    unsaved = page.get_by_role("region", name="Unsaved changes")
    expect(unsaved).to_be_visible()
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.evaluate("history.back()")
    page.wait_for_timeout(500)
    assert asked == ["You have unsaved changes. Leave without saving?"]
    assert "tab=appearance" in page.url
    expect(unsaved).to_be_visible()
    expect(page.get_by_label("Window title")).to_have_value("Ask Grace")
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.evaluate("history.back()")
    expect(dialog).to_be_visible()  # back on the list as it was: /bots/?new=1, "create a bot" open
    assert len(asked) == 2 and "id=" not in page.url
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Supabase bot")).to_be_visible()

    # An expired session: supabase-js refreshes it (refresh-token grant) and the API takes the new token.
    refreshes = fake.calls.count("POST /auth/v1/token?grant_type=refresh_token")
    page.evaluate("""(key) => {
        const s = JSON.parse(localStorage.getItem(key));
        s.expires_at = Math.floor(Date.now() / 1000) - 10;
        localStorage.setItem(key, JSON.stringify(s));
    }""", stored["key"])
    page.reload()
    expect(page.get_by_role("link", name="Supabase bot")).to_be_visible()
    assert fake.calls.count("POST /auth/v1/token?grant_type=refresh_token") == refreshes + 1
    refreshed = page.evaluate(STORED_SESSIONS)
    assert refreshed["parley"]["access"] == refreshed["supabase"]["access_token"] != stored["parley"]["access"]
    run.axe("bots-supabase")

    # Sign out of Parley and of Supabase.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")
    # supabase-js drops the local session (and the app leaves for /login/) before it sends the revoke.
    deadline = time.monotonic() + 10
    while ("POST /auth/v1/logout?scope=local" not in fake.calls or fake.refresh_tokens) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "POST /auth/v1/logout?scope=local" in fake.calls
    assert page.evaluate(STORED_SESSIONS) == {"key": None, "supabase": None, "parley": None}
    assert not fake.refresh_tokens  # both sessions (sign-up, refreshed) are revoked at Supabase

    # The login page: no built-in "forgot password" flow; Supabase's refusal in words.
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(0)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").filter(has_text="password")).to_have_text("The email or password is not right.")
    run.axe("login-supabase")
    run.shot("login-refused")

    # Sign in → the bot list (timed, like the built-in e2e).
    page.get_by_label("Password").fill(PASSWORD)
    started = time.perf_counter()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Supabase bot")).to_be_visible()
    print(f"\ndashboard (Supabase Auth): login → interactive bot list {(time.perf_counter() - started) * 1000:.0f} ms")
    assert "POST /auth/v1/token?grant_type=password" in fake.calls
    run.shot("bot-list")

    context.close()
    assert not console_errors, console_errors
    assert not run.a11y, "axe-core found serious or critical problems:\n" + "\n".join(run.a11y)


def test_a_supabase_account_from_elsewhere_signs_in_and_creates_its_organization(supabase, server, browser):
    """Someone who signed up with this Supabase project outside the dashboard: no workspace yet."""
    from playwright.sync_api import expect

    fake, base_url = supabase
    email = "linus@example.com"
    signed_up = httpx.post(f"{base_url}/auth/v1/signup", headers={"apikey": fake.anon_key},
                           json={"email": email, "password": PASSWORD})
    assert signed_up.status_code == 200, signed_up.text
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="You are not in an organization yet")).to_be_visible()
    run = Run(page, server.url, ROOT / "test-artifacts" / "dashboard-supabase-no-org")
    run.axe("no-organization")
    run.shot("no-organization")
    expect(page.get_by_label("Name")).to_have_value("linus's workspace")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name="Create your first bot")).to_be_visible()
    # The built-in sign-in knows nothing of this password: the account lives in Supabase.
    refused = httpx.post(f"{server.url}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 401, refused.text
    context.close()
    assert not run.a11y, "axe-core found serious or critical problems:\n" + "\n".join(run.a11y)
