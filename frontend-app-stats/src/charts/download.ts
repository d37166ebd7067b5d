// Saving what a chart shows: the API's CSV (fetched with the LMS credentials, so the file name and
// the JWT refresh work as for every call) and the drawing itself as PNG or SVG.
import { getAuthenticatedHttpClient } from '@edx/frontend-platform/auth';
import type { Result } from 'vega-embed';

export async function downloadCsv(url: string, fallbackName: string): Promise<void> {
  const response = await getAuthenticatedHttpClient().get(url, { responseType: 'blob' });
  const disposition = String(response.headers?.['content-disposition'] ?? '');
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  save(URL.createObjectURL(response.data as Blob), name, true);
}

export async function downloadPicture(
  view: Result['view'],
  type: 'png' | 'svg',
  name: string,
): Promise<void> {
  save(await view.toImageURL(type, type === 'png' ? 2 : 1), `${name}.${type}`, false);
}

function save(href: string, fileName: string, revoke: boolean) {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  if (revoke) setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
