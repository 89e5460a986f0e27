import { describe, expect, it } from 'vitest';
import { chooseLang, duration, STRINGS, translator } from '../src/app/i18n';
import { LOADER_STRINGS } from '../src/loader/strings';
import { pickLang } from '../src/shared/lang';

const nav = (languages: string[]) => ({ languages, language: languages[0] }) as unknown as Navigator;

describe('i18n', () => {
  it('has English and French with the same keys, none empty', () => {
    for (const tables of [STRINGS, LOADER_STRINGS] as Record<string, Record<string, string>>[]) {
      expect(Object.keys(tables)).toEqual(expect.arrayContaining(['en', 'fr']));
      const keys = Object.keys(tables.en).sort();
      for (const [lang, table] of Object.entries(tables)) {
        expect(Object.keys(table).sort(), lang).toEqual(keys);
        for (const v of Object.values(table)) expect(v.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the same placeholders in every language', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) || []).sort();
    for (const [key, en] of Object.entries(STRINGS.en)) expect(holes(STRINGS.fr[key as keyof typeof STRINGS.en]), key).toEqual(holes(en));
  });

  it('prefers data-lang, then the browser languages, then the bot language, then English', () => {
    expect(chooseLang('fr', null, nav(['en-US']))).toBe('fr');
    expect(chooseLang('FR-ca', null, nav(['en-US']))).toBe('fr');
    expect(chooseLang(null, null, nav(['fr-FR', 'en']))).toBe('fr');
    expect(chooseLang(null, null, nav(['de-DE', 'fr']))).toBe('fr');
    expect(chooseLang('xx', null, nav(['de-DE']))).toBe('en');
    expect(chooseLang(null, 'fr', nav(['de-DE']))).toBe('fr');
    expect(chooseLang(null, null, nav([]))).toBe('en');
    expect(pickLang(['en', 'fr'] as const, 'fr_BE')).toBe('fr');
  });

  it('fills placeholders', () => {
    const t = translator('fr');
    expect(t('rateLimited', { t: duration(t, 20) })).toBe('Trop de messages — réessayez dans 20 s.');
    expect(translator('en')('counter', { n: 12, max: 4000 })).toBe('12 / 4000 characters');
    expect(translator('zz')('send')).toBe('Send');
  });
});
