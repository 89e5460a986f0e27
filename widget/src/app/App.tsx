import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Citation } from './api';
import { Composer } from './composer';
import type { ChatController } from './controller';
import type { UiMessage } from './thread';
import type { Translate } from './i18n';
import { Icon } from './icons';
import { Markdown, safeHref } from './markdown';

function useController(ctl: ChatController) {
  const [, setTick] = useState(0);
  useEffect(() => ctl.subscribe(() => setTick((n) => n + 1)), [ctl]);
  return ctl.state;
}

/** Seconds until `at`, re-rendered every second while in the future. */
function useCountdown(at: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!at) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at ? Math.max(0, Math.ceil((at - now) / 1000)) : 0;
}

function Avatar({ url, name, small }: { url?: string | null; name: string; small?: boolean }) {
  const src = url && safeHref(url);
  const cls = small ? 'av sm' : 'av';
  if (src && /^https?:/.test(src)) return <img class={cls} src={src} alt="" />;
  return (
    <span class={cls} aria-hidden="true">
      {(name.trim()[0] || '?').toUpperCase()}
    </span>
  );
}

function Citations({ list, t }: { list: Citation[]; t: Translate }) {
  if (!list.length) return null;
  return (
    <details class="cites">
      <summary>{t('sources', { n: list.length })}</summary>
      <ol>
        {list.map((c, i) => {
          const href = c.url ? safeHref(c.url) : null;
          const label = c.title || c.source || `#${i + 1}`;
          return (
            <li key={i}>
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                  {label}
                </a>
              ) : (
                <strong>{label}</strong>
              )}
              {c.location ? <span class="loc"> · {c.location}</span> : null}
              {c.snippet ? <blockquote>{c.snippet}</blockquote> : null}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function Message({ m, ctl, t, botName, avatar }: { m: UiMessage; ctl: ChatController; t: Translate; botName: string; avatar?: string | null }) {
  if (m.role === 'system') {
    return (
      <div class="msg system" role="note">
        {m.content}
      </div>
    );
  }
  if (m.role === 'user') {
    return (
      <div class={`msg user ${m.status}`}>
        <span class="sr-only">{t('you')}: </span>
        <div class="bubble">{m.content}</div>
        {m.status === 'queued' ? <div class="meta">{t('queued')}</div> : null}
        {m.status === 'failed' ? (
          <div class="meta err">
            {m.error || t('failed')}{' '}
            <button type="button" class="link" onClick={() => ctl.resend(m.key)}>
              {t('retrySend')}
            </button>
          </div>
        ) : null}
      </div>
    );
  }
  const showFeedback = m.id && !m.greeting && m.status === 'done';
  return (
    <div class={`msg bot ${m.status}`}>
      <Avatar url={avatar} name={botName} small />
      <div class="col">
        <span class="sr-only">{botName}: </span>
        <div class="bubble">
          {m.content ? <Markdown text={m.content} /> : <Dots />}
          {m.tool ? <div class="tool">{t('usingTool')}</div> : null}
        </div>
        <Citations list={m.citations} t={t} />
        {m.status === 'interrupted' ? (
          <div class="meta err">
            {t('interrupted')}{' '}
            <button type="button" class="link" onClick={() => ctl.reload()}>
              {t('reload')}
            </button>
          </div>
        ) : null}
        {showFeedback ? (
          <div class="fb">
            <button type="button" aria-label={t('helpful')} title={t('helpful')} aria-pressed={m.feedback === 1} onClick={() => ctl.feedback(m.key, 1)}>
              <Icon name="up" size={16} />
            </button>
            <button type="button" aria-label={t('notHelpful')} title={t('notHelpful')} aria-pressed={m.feedback === -1} onClick={() => ctl.feedback(m.key, -1)}>
              <Icon name="down" size={16} />
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function Dots() {
  return (
    <span class="dots" aria-hidden="true">
      <i />
      <i />
      <i />
    </span>
  );
}

function LeadForm({ ctl, t }: { ctl: ChatController; t: Translate }) {
  const s = ctl.state;
  const sending = s.lead === 'sending';
  const submit = (e: Event) => {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const v = (n: string) => ((f.elements.namedItem(n) as HTMLInputElement | null)?.value || '');
    void ctl.submitLead({ name: v('name'), email: v('email'), message: v('message') });
  };
  return (
    <form class="lead" onSubmit={submit} aria-labelledby="lead-title">
      <p id="lead-title">{t('leadTitle')}</p>
      <label>
        {t('leadName')}
        <input name="name" autoComplete="name" required maxLength={200} />
      </label>
      <label>
        {t('leadEmail')}
        <input name="email" type="email" autoComplete="email" required maxLength={320} />
      </label>
      <label>
        {t('leadMessage')}
        <textarea name="message" rows={2} maxLength={2000} />
      </label>
      {s.leadError ? (
        <p class="err" role="alert">
          {s.leadError}
        </p>
      ) : null}
      <div class="row">
        <button type="submit" class="primary" disabled={sending}>
          {t('leadSubmit')}
        </button>
        <button type="button" class="link" onClick={() => ctl.dismissLead()}>
          {t('leadSkip')}
        </button>
      </div>
    </form>
  );
}

function Banner({ ctl, t }: { ctl: ChatController; t: Translate }) {
  const s = ctl.state;
  const left = useCountdown(s.retryAt);
  if (s.net === 'ok') return null;
  return (
    <div class="banner" role="alert">
      <span>{s.net === 'offline' ? t('offline') : t('serverDown')}</span>
      {s.net === 'down' && left > 0 ? <span class="muted"> {t('retryIn', { s: left })}</span> : null}
      <button type="button" class="link" onClick={() => ctl.retryNow()}>
        {t('retry')}
      </button>
    </div>
  );
}

export function App({ ctl, inputRef }: { ctl: ChatController; inputRef: { current: HTMLTextAreaElement | null } }) {
  const s = useController(ctl);
  const t = ctl.t;
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });

  if (s.phase === 'unavailable') return <div class="unavailable">{t('unavailable')}</div>;
  if (s.phase === 'loading' || !s.bot) {
    return (
      <div class="loading" aria-busy="true">
        {s.net !== 'ok' ? <Banner ctl={ctl} t={t} /> : <Dots />}
      </div>
    );
  }
  const bot = s.bot;
  const a = bot.appearance || {};
  const name = a.title || bot.name || t('title');
  const noUserYet = !s.messages.some((m) => m.role === 'user');
  const suggestions = (bot.suggested_questions || []).filter((q) => typeof q === 'string' && q.trim());
  const streaming = s.messages.some((m) => m.status === 'streaming');

  return (
    <main class="chat" aria-labelledby="chat-title">
      <header class="hd">
        <Avatar url={a.avatar_url} name={name} />
        <h1 id="chat-title">{name}</h1>
        <button type="button" class="icon" aria-label={t('newConversation')} title={t('newConversation')} disabled={s.busy} onClick={() => ctl.newConversation()}>
          <Icon name="plus" />
        </button>
        {ctl.embedded ? (
          <button type="button" class="icon" aria-label={t('close')} title={t('close')} onClick={() => ctl.requestClose()}>
            <Icon name="close" />
          </button>
        ) : null}
      </header>
      <Banner ctl={ctl} t={t} />
      <div
        class="log"
        ref={log}
        role="log"
        aria-live="off"
        aria-labelledby="chat-title"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {s.messages.map((m) => (
          <Message key={m.key} m={m} ctl={ctl} t={t} botName={name} avatar={a.avatar_url} />
        ))}
        {s.typing && !streaming ? (
          <div class="msg bot typing">
            <Avatar url={a.avatar_url} name={name} small />
            <div class="bubble">
              <Dots />
              <span class="sr-only">{t('typing')}</span>
            </div>
          </div>
        ) : null}
        {noUserYet && suggestions.length ? (
          <div class="chips" role="group" aria-label={t('suggested')}>
            {suggestions.map((q) => (
              <button type="button" key={q} onClick={() => ctl.send(q)}>
                {q}
              </button>
            ))}
          </div>
        ) : null}
        {s.lead === 'open' || s.lead === 'sending' ? <LeadForm ctl={ctl} t={t} /> : null}
      </div>
      {s.notice ? (
        <div class={`notice ${s.notice.kind}`} role={s.notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{s.notice.text}</span>
          <button type="button" class="icon sm" aria-label={t('dismiss')} onClick={() => ctl.dismissNotice()}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      <footer>
        {bot.handoff_enabled && s.handoff !== 'sent' ? (
          <button type="button" class="human" disabled={s.handoff === 'sending'} onClick={() => ctl.handoff()}>
            <Icon name="person" size={16} /> {t('talkToHuman')}
          </button>
        ) : null}
        <Composer t={t} max={ctl.maxChars} onSend={(text) => ctl.send(text)} inputRef={inputRef} />
      </footer>
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {s.announce}
      </div>
    </main>
  );
}
