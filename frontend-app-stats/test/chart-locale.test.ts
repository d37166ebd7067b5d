import { describe, expect, it } from 'vitest';
import { vegaLocales } from '../src/charts/locale.ts';

describe('the charts speak the user’s locale (vega locales from Intl)', () => {
  it('writes numbers and dates in Spanish for es-419', () => {
    const { formatLocale, timeFormatLocale } = vegaLocales('es-419');
    expect(formatLocale.decimal).toBe(new Intl.NumberFormat('es-419').formatToParts(0.5)[1]!.value);
    expect(timeFormatLocale.months).toEqual([
      'enero',
      'febrero',
      'marzo',
      'abril',
      'mayo',
      'junio',
      'julio',
      'agosto',
      'septiembre',
      'octubre',
      'noviembre',
      'diciembre',
    ]);
    expect((timeFormatLocale.days as string[])[0]).toBe('domingo');
  });

  it('keeps English as d3 has it for en', () => {
    const { formatLocale, timeFormatLocale } = vegaLocales('en');
    expect(formatLocale).toMatchObject({ decimal: '.', thousands: ',' });
    expect((timeFormatLocale.shortMonths as string[]).slice(0, 3)).toEqual(['Jan', 'Feb', 'Mar']);
    expect((timeFormatLocale.days as string[])[0]).toBe('Sunday');
  });
});
