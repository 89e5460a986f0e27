import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app/App';
import { Composer, counterState } from '../src/app/composer';
import { installKeyboard } from '../src/app/focus';
import { translator } from '../src/app/i18n';
import { started } from './helpers';

let root: HTMLElement;
function mount(node: preact.ComponentChild) {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}
afterEach(() => {
  if (!root) return;
  act(() => render(null, root));
  root.remove();
  root = undefined as unknown as HTMLElement;
});

function type(el: HTMLTextAreaElement, value: string) {
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('message length counter', () => {
  it('counts and refuses past the limit', () => {
    expect(counterState(0, 4000)).toEqual({ visible: false, over: false });
    expect(counterState(12, 4000)).toEqual({ visible: true, over: false });
    expect(counterState(4001, 4000)).toEqual({ visible: true, over: true });
  });

  it('shows the count, turns red and disables Send over 4000 characters', () => {
    const onSend = vi.fn(() => true);
    const el = mount(<Composer t={translator('en')} max={4000} onSend={onSend} />);
    const area = el.querySelector('textarea')!;
    const send = el.querySelector('button[type=submit]') as HTMLButtonElement;
    const counter = el.querySelector('.counter') as HTMLElement;
    expect(counter.hidden).toBe(true);
    expect(send.disabled).toBe(true);

    type(area, 'hello');
    expect(counter.hidden).toBe(false);
    expect(counter.textContent).toBe('5 / 4000 characters');
    expect(send.disabled).toBe(false);

    type(area, 'x'.repeat(4001));
    expect(counter.classList.contains('over')).toBe(true);
    expect(counter.textContent).toBe('Your message is too long: 4001 characters, the limit is 4000.');
    expect(area.getAttribute('aria-invalid')).toBe('true');
    expect(send.disabled).toBe(true);
    act(() => {
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(onSend).not.toHaveBeenCalled();

    type(area, 'x'.repeat(4000));
    act(() => {
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(onSend).toHaveBeenCalledWith('x'.repeat(4000));
    expect(area.value).toBe('');
  });

  it('sends on Enter but not Shift+Enter', () => {
    const onSend = vi.fn(() => true);
    const el = mount(<Composer t={translator('en')} max={4000} onSend={onSend} />);
    const area = el.querySelector('textarea')!;
    type(area, 'line');
    act(() => {
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
    });
    expect(onSend).not.toHaveBeenCalled();
  });
});

describe('chat panel', () => {
  it('renders greeting, suggestions, the log and a live region; sends a suggestion', async () => {
    const { ctl, transport } = await started();
    const el = mount(<App ctl={ctl} inputRef={{ current: null }} />);
    expect(el.querySelector('h1')!.textContent).toBe('Acme help');
    expect(el.querySelector('[role=log]')).not.toBeNull();
    expect(el.querySelector('[aria-live=polite]')).not.toBeNull();
    expect(el.textContent).toContain('Hi! How can I help?');
    const chip = el.querySelector('.chips button') as HTMLButtonElement;
    expect(chip.textContent).toBe('What are your prices?');
    await act(async () => {
      chip.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(transport.sent[0].text).toBe('What are your prices?');
    expect(el.querySelector('.chips')).toBeNull();
    expect(el.querySelector('.msg.bot.done:last-of-type .bubble')!.textContent).toBe('You said: What are your prices?');
    // Feedback buttons on real answers, with pressed state.
    const up = el.querySelector('.fb button') as HTMLButtonElement;
    await act(async () => {
      up.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(up.getAttribute('aria-pressed')).toBe('true');
    // "Talk to a human" is there because the bot enables handoff.
    expect(el.querySelector('.human')).not.toBeNull();
    // The slot for a future mic button.
    expect(el.querySelector('[data-slot=voice]')).not.toBeNull();
  });

  it('shows the offline banner with a Retry button', async () => {
    const { ctl } = await started({ online: () => false });
    const el = mount(<App ctl={ctl} inputRef={{ current: null }} />);
    act(() => ctl.setOnline(false));
    const banner = el.querySelector('.banner')!;
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain("You're offline");
    expect(banner.querySelector('button')!.textContent).toBe('Retry');
  });
});

describe('keyboard', () => {
  it('traps Tab inside the panel and closes on Escape', () => {
    const el = mount(
      <div>
        <button id="a">a</button>
        <button id="b">b</button>
        <button id="c" disabled>
          c
        </button>
      </div>,
    );
    const onEscape = vi.fn();
    const off = installKeyboard(document, onEscape);
    const a = el.querySelector('#a') as HTMLButtonElement;
    const b = el.querySelector('#b') as HTMLButtonElement;
    b.focus();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(a);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(b);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(onEscape).toHaveBeenCalledTimes(1);
    off();
  });
});
