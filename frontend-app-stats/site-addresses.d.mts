export function siteAddresses(site: {
  dashboard: string;
  lms: string;
  studio?: string;
}): Record<string, string>;
