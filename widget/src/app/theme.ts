/** Apply the bot's appearance to the document: colours as CSS variables and light/dark theme. */
import { safeColor, textOn } from '../shared/color';
import type { Appearance } from './api';

export function applyTheme(doc: Document, appearance: Partial<Appearance> | undefined): () => void {
  const a = appearance || {};
  const root = doc.documentElement;
  const primary = safeColor(a.primary_color);
  root.style.setProperty('--p', primary);
  root.style.setProperty('--pt', textOn(primary));
  const win = doc.defaultView;
  const mq = a.theme === 'auto' || !a.theme ? win && win.matchMedia && win.matchMedia('(prefers-color-scheme: dark)') : null;
  const set = () => root.setAttribute('data-theme', a.theme === 'dark' || (mq && mq.matches) ? 'dark' : 'light');
  set();
  if (mq && mq.addEventListener) {
    mq.addEventListener('change', set);
    return () => mq.removeEventListener('change', set);
  }
  return () => {};
}
