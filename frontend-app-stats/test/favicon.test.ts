import { afterEach, describe, expect, it } from 'vitest';
import { showFavicon } from '../src/favicon.ts';

const icon = () => document.head.querySelector<HTMLLinkElement>('link[rel="icon"]');

describe('the page icon', () => {
  afterEach(() => icon()?.remove());

  it('is FAVICON_URL when set, else the icon the dashboard ships', () => {
    showFavicon('https://lms.example.test/favicon.ico');
    expect(icon()?.href).toBe('https://lms.example.test/favicon.ico');
    showFavicon('');
    expect(document.head.querySelectorAll('link[rel="icon"]')).toHaveLength(1);
    expect(new URL(icon()!.href).pathname).toMatch(/\/favicon\.svg$/);
  });
});
