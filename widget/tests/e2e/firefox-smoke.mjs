/**
 * The widget's smoke test in Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi
 * (Playwright and Selenium can't drive firefox-esr). Run by tests/widget/test_widget_firefox.py.
 *
 *   node tests/e2e/firefox-smoke.mjs <host page URL> [question] [expected answer text]
 *
 * The host page is on another origin than the Parley server and embeds the widget tag. The script
 * opens the widget, asks, waits for the answer to stream in with citations, reloads and looks for
 * the question in the history. It prints one JSON line ({ok, ...figures} or {ok: false, error})
 * and exits 0 only when every step passed. FIREFOX overrides the browser path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [site, question = 'Where is your warehouse?', expected = 'Lyon'] = process.argv.slice(2);
const firefox = process.env.FIREFOX || '/usr/bin/firefox-esr';
const STEP_MS = 30_000;
const LAUNCHER = 'parley-widget >>> button.b';
const FRAME = 'parley-widget >>> iframe';

const since = (t0) => Math.round(performance.now() - t0);

/** The chat iframe's Frame, once the loader has injected it. */
async function chatFrame(page) {
  const iframe = await page.waitForSelector(FRAME, { timeout: STEP_MS });
  return iframe.contentFrame();
}

async function openWidget(page) {
  const launcher = await page.waitForSelector(LAUNCHER, { visible: true, timeout: STEP_MS });
  await launcher.click();
  const frame = await chatFrame(page);
  await frame.waitForSelector('textarea', { visible: true, timeout: STEP_MS });
  return frame;
}

/** Record each distinct text the newest answer bubble shows, to see that it streamed. */
function watchAnswer(frame) {
  return frame.evaluate(() => {
    const seen = (window.__parleyPartials = []);
    new MutationObserver(() => {
      const bubbles = document.querySelectorAll('.msg.bot .bubble');
      const text = bubbles.length ? bubbles[bubbles.length - 1].textContent : '';
      if (text && text !== seen[seen.length - 1]) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function smoke(browser) {
  const figures = {};
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  let t0 = performance.now();
  await page.goto(site);
  await page.waitForSelector(LAUNCHER, { visible: true, timeout: STEP_MS });
  figures.launcher_visible_ms = since(t0);

  t0 = performance.now();
  let frame = await openWidget(page);
  figures.panel_ready_ms = since(t0);

  await watchAnswer(frame);
  t0 = performance.now();
  await frame.type('textarea', question);
  await page.keyboard.press('Enter');
  await frame.waitForFunction(
    (text) => [...document.querySelectorAll('.msg.bot:not(.typing) .bubble')].some((b) => b.textContent.includes(text)),
    { timeout: STEP_MS },
    expected,
  );
  // Citations arrive with the answer; "done" makes the bubble final.
  await frame.waitForFunction(() => document.querySelectorAll('details.cites').length > 0, { timeout: STEP_MS });
  figures.answer_ms = since(t0);
  figures.citations = await frame.evaluate(() => document.querySelectorAll('details.cites').length);
  figures.partials = await frame.evaluate(() => window.__parleyPartials.length);

  t0 = performance.now();
  await page.reload();
  frame = await openWidget(page);
  await frame.waitForFunction(
    (text) => [...document.querySelectorAll('.msg.user .bubble')].some((b) => b.textContent.includes(text)),
    { timeout: STEP_MS },
    question,
  );
  figures.history_after_reload_ms = since(t0);
  figures.page_errors = consoleErrors;
  return figures;
}

async function main() {
  if (!site) throw new Error('usage: firefox-smoke.mjs <host page URL> [question] [expected]');
  const started = performance.now();
  const profile = mkdtempSync(join(tmpdir(), 'parley-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefox,
    headless: true,
    userDataDir: profile,
    timeout: STEP_MS,
  });
  try {
    const figures = await smoke(browser);
    figures.browser = await browser.version();
    figures.total_ms = since(started);
    console.log(JSON.stringify({ ok: true, ...figures }));
  } finally {
    await browser.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, error: String((e && e.stack) || e) }));
  process.exit(1);
});
