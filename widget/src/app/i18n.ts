/** Every string the chat app shows. Add a language by adding a table with the same keys. */
import { browserLanguages, pickLang } from '../shared/lang';

const en = {
  title: 'Chat with us',
  placeholder: 'Type your message…',
  send: 'Send',
  close: 'Close chat',
  newConversation: 'New conversation',
  conversation: 'Conversation',
  talkToHuman: 'Talk to a human',
  handoffSent: 'A member of the team has been notified and will reply here.',
  sources: 'Sources ({n})',
  openSource: 'Open source',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  feedbackThanks: 'Thanks for your feedback!',
  typing: 'The assistant is typing…',
  usingTool: 'Working on it…',
  you: 'You',
  assistant: 'Assistant',
  offline: "You're offline. Your messages will be sent when you're back.",
  serverDown: "Can't reach the chat server.",
  retry: 'Retry',
  retryIn: 'Retrying in {s} s',
  reconnecting: 'Reconnecting…',
  rateLimited: 'Too many messages — try again in {t}.',
  seconds: '{n} s',
  minutes: '{n} min',
  tooLong: 'Your message is too long: {n} characters, the limit is {max}.',
  counter: '{n} / {max} characters',
  queued: 'Waiting to send',
  sending: 'Sending…',
  failed: 'Not sent.',
  retrySend: 'Send again',
  interrupted: 'The connection was lost while answering. Reload the conversation to see the full answer.',
  reload: 'Reload',
  errorGeneric: 'Something went wrong. Please try again.',
  unavailable: 'This chat is not available here.',
  leadTitle: 'Leave your contact details and we will get back to you.',
  leadName: 'Name',
  leadEmail: 'Email',
  leadMessage: 'Message (optional)',
  leadSubmit: 'Send details',
  leadSkip: 'No thanks',
  leadThanks: 'Thanks! We will be in touch soon.',
  leadInvalid: 'Please enter your name and a valid email address.',
  suggested: 'Suggested questions',
  dismiss: 'Dismiss',
  voice: 'Voice input',
};

export type StringKey = keyof typeof en;
export type Table = Record<StringKey, string>;

const fr: Table = {
  title: 'Discutons',
  placeholder: 'Écrivez votre message…',
  send: 'Envoyer',
  close: 'Fermer le chat',
  newConversation: 'Nouvelle conversation',
  conversation: 'Conversation',
  talkToHuman: 'Parler à un humain',
  handoffSent: "Un membre de l'équipe a été prévenu et vous répondra ici.",
  sources: 'Sources ({n})',
  openSource: 'Ouvrir la source',
  helpful: 'Utile',
  notHelpful: 'Pas utile',
  feedbackThanks: 'Merci pour votre avis !',
  typing: "L'assistant écrit…",
  usingTool: 'Je m’en occupe…',
  you: 'Vous',
  assistant: 'Assistant',
  offline: 'Vous êtes hors ligne. Vos messages seront envoyés dès votre retour.',
  serverDown: 'Impossible de joindre le serveur de chat.',
  retry: 'Réessayer',
  retryIn: 'Nouvel essai dans {s} s',
  reconnecting: 'Reconnexion…',
  rateLimited: 'Trop de messages — réessayez dans {t}.',
  seconds: '{n} s',
  minutes: '{n} min',
  tooLong: 'Votre message est trop long : {n} caractères, la limite est de {max}.',
  counter: '{n} / {max} caractères',
  queued: "En attente d'envoi",
  sending: 'Envoi…',
  failed: 'Non envoyé.',
  retrySend: 'Renvoyer',
  interrupted: 'La connexion a été perdue pendant la réponse. Rechargez la conversation pour voir la réponse complète.',
  reload: 'Recharger',
  errorGeneric: 'Un problème est survenu. Veuillez réessayer.',
  unavailable: "Ce chat n'est pas disponible ici.",
  leadTitle: 'Laissez vos coordonnées et nous vous recontacterons.',
  leadName: 'Nom',
  leadEmail: 'E-mail',
  leadMessage: 'Message (facultatif)',
  leadSubmit: 'Envoyer mes coordonnées',
  leadSkip: 'Non merci',
  leadThanks: 'Merci ! Nous vous recontacterons bientôt.',
  leadInvalid: 'Indiquez votre nom et une adresse e-mail valide.',
  suggested: 'Questions suggérées',
  dismiss: 'Masquer',
  voice: 'Saisie vocale',
};

export const STRINGS: Record<string, Table> = { en, fr };
export const LANGS = Object.keys(STRINGS);

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

export function translator(lang: string): Translate {
  const table = STRINGS[lang] || en;
  return (key, vars) => {
    let s = table[key] || en[key] || key;
    if (vars) for (const k in vars) s = s.split(`{${k}}`).join(String(vars[k]));
    return s;
  };
}

export function chooseLang(requested?: string | null, botLanguage?: string | null, nav?: Navigator): string {
  return pickLang(LANGS, requested, browserLanguages(nav), botLanguage);
}

/** "20 s" / "2 min" for a Retry-After in seconds. */
export function duration(t: Translate, seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 90 ? t('seconds', { n: s }) : t('minutes', { n: Math.ceil(s / 60) });
}
