// The page's icon: FAVICON_URL, else the one the dashboard ships (public/favicon.svg). Set while
// the page loads: a page without an icon makes the browser ask its server for /favicon.ico.
export function showFavicon(url: string | undefined): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  link.href = url || `${process.env.PUBLIC_PATH || '/'}favicon.svg`;
}
