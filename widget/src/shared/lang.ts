/** Choose a UI language: the page's data-lang, then the browser's languages, then English. */
export function pickLang<T extends string>(
  supported: readonly T[],
  requested?: string | null,
  browser: readonly string[] = [],
  fallback?: string | null,
): T {
  for (const cand of [requested, ...browser, fallback]) {
    if (!cand) continue;
    const primary = cand.toLowerCase().split(/[-_]/)[0] as T;
    if (supported.includes(primary)) return primary;
  }
  return supported[0];
}

export function browserLanguages(nav: Navigator | undefined = typeof navigator === 'undefined' ? undefined : navigator): string[] {
  if (!nav) return [];
  const list = nav.languages && nav.languages.length ? [...nav.languages] : [];
  if (nav.language) list.push(nav.language);
  return list;
}
