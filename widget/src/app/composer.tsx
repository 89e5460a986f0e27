import { useRef, useState } from 'preact/hooks';
import { charCount } from './thread';
import type { Translate } from './i18n';
import { Icon } from './icons';

/** What the counter under the text box shows. Visible as soon as there is text; red past the limit. */
export function counterState(length: number, max: number) {
  return { visible: length > 0, over: length > max };
}

interface Props {
  t: Translate;
  max: number;
  disabled?: boolean;
  onSend: (text: string) => boolean;
  inputRef?: { current: HTMLTextAreaElement | null };
}

export function Composer({ t, max, disabled, onSend, inputRef }: Props) {
  const [text, setText] = useState('');
  const local = useRef<HTMLTextAreaElement | null>(null);
  const ref = inputRef || local;
  const n = charCount(text);
  const c = counterState(n, max);
  const canSend = !disabled && text.trim().length > 0 && !c.over;

  const autosize = (el: HTMLTextAreaElement) => {
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 140) + 'px';
  };

  const submit = (e?: Event) => {
    if (e) e.preventDefault();
    if (!canSend) return;
    if (onSend(text)) {
      setText('');
      if (ref.current) {
        ref.current.value = '';
        autosize(ref.current);
      }
    }
  };

  return (
    <form class="composer" onSubmit={submit}>
      <div class="field">
        <textarea
          ref={ref}
          rows={1}
          value={text}
          placeholder={t('placeholder')}
          aria-label={t('placeholder')}
          aria-invalid={c.over ? 'true' : undefined}
          aria-describedby="counter"
          onInput={(e) => {
            const el = e.currentTarget as HTMLTextAreaElement;
            setText(el.value);
            autosize(el);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        {/* Reserved for voice input (a mic button), not implemented yet. */}
        <span class="mic-slot" data-slot="voice" hidden />
        <button type="submit" class="send" aria-label={t('send')} title={t('send')} disabled={!canSend}>
          <Icon name="send" />
        </button>
      </div>
      <div id="counter" class={`counter${c.over ? ' over' : ''}`} hidden={!c.visible} aria-live={c.over ? 'assertive' : 'off'}>
        {c.over ? t('tooLong', { n, max }) : t('counter', { n, max })}
      </div>
    </form>
  );
}
