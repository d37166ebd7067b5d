import { describe, expect, it } from 'vitest';
import { appMessages } from '../src/i18n/index.ts';
import { catalog } from '../src/i18n/catalog.ts';

const defined = new Map(
  catalog.flatMap((group) => Object.values(group)).map((m) => [m.id, m.defaultMessage as string]),
);
/** Placeholder names of an ICU message ({name}, {count, plural, ...}). */
const placeholders = (text: string) =>
  [...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((match) => match[1]).sort();

describe('translations (issue: frontend, en and es-419 complete)', () => {
  it('defines every message once, with a description', () => {
    const ids = catalog.flatMap((group) => Object.values(group).map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const group of catalog) {
      for (const message of Object.values(group))
        expect(message.description, message.id).toBeTruthy();
    }
  });

  it.each(Object.keys(appMessages))(
    'has every message in %s, with the same placeholders',
    (locale) => {
      const translated = appMessages[locale]!;
      expect(Object.keys(translated).filter((id) => !defined.has(id))).toEqual([]);
      for (const [id, english] of defined) {
        expect(translated[id], `${locale} lacks ${id}`).toBeTruthy();
        expect({ id, placeholders: placeholders(translated[id]!) }).toEqual({
          id,
          placeholders: placeholders(english),
        });
      }
    },
  );
});
