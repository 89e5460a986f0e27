/** Launcher icons as 24×24 SVG path data (static strings, never from the network). */
export const ICONS: Record<string, string> = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
  help: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 16h-2v-2h2zm2-7.7-.9.9c-.7.7-1.1 1.3-1.1 2.8h-2v-.5a4 4 0 0 1 1.2-2.8l1.2-1.3A2 2 0 1 0 10 8H8a4 4 0 1 1 7 2.3z',
  sparkle: 'M11 2l2 6 6 2-6 2-2 6-2-6-6-2 6-2zm7 12 1 3 3 1-3 1-1 3-1-3-3-1 3-1z',
  close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z',
};

export function svg(name: string): string {
  return `<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false"><path fill="currentColor" d="${ICONS[name] || ICONS.chat}"/></svg>`;
}
