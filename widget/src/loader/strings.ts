/** The loader's few strings (the chat app has the full table in src/app/i18n.ts). */
export const LOADER_STRINGS = {
  en: { open: 'Open chat', close: 'Close chat', unread: 'unread messages', frame: 'Chat window', dismiss: 'Dismiss' },
  fr: { open: 'Ouvrir le chat', close: 'Fermer le chat', unread: 'messages non lus', frame: 'Fenêtre de chat', dismiss: 'Masquer' },
} as const;

export type LoaderLang = keyof typeof LOADER_STRINGS;
export const LOADER_LANGS = Object.keys(LOADER_STRINGS) as LoaderLang[];
