import { de } from './locales/de.js';
import { en, type Messages } from './locales/en.js';

export type { Messages };

/** Hosted UI catalogs. English is complete; another language may fall back to it per key. */
const catalogs: Record<string, Partial<Messages>> = { en, de };

export interface Locale {
  lang: string;
  t: Messages;
}

/** `ui_locales` (space-separated, in order of preference) wins over Accept-Language. */
export function pickLocale(uiLocales: string | undefined, acceptLanguage: string | undefined): Locale {
  const fromAccept = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
  for (const tag of [...(uiLocales ?? '').split(' '), ...fromAccept]) {
    const lang = tag.toLowerCase().split('-')[0] ?? '';
    if (catalogs[lang]) return { lang, t: { ...en, ...catalogs[lang] } };
  }
  return { lang: 'en', t: en };
}

/** Fills `{name}` placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** The label of a user attribute: a translated standard name, or a custom attribute's own name. */
export function attributeLabel(t: Messages, name: string): string {
  const key = `attr_${name}` as keyof Messages;
  if (key in t) return t[key];
  return name.replace(/^custom:/, '').replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
