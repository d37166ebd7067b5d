// The addresses of a dashboard's build that follow from where it is served and where the LMS is
// (frontend-platform's names). Plain JavaScript: deploy/build-dashboard.mjs runs without tsx.

/**
 * @param {{ dashboard: string, lms: string, studio?: string }} site origins without a final '/'
 * @returns {Record<string, string>}
 */
export function siteAddresses({ dashboard, lms, studio = lms }) {
  return {
    BASE_URL: dashboard,
    LMS_BASE_URL: lms,
    LOGIN_URL: `${lms}/login`,
    LOGOUT_URL: `${lms}/logout`,
    REFRESH_ACCESS_TOKEN_ENDPOINT: `${lms}/login_refresh`,
    MARKETING_SITE_BASE_URL: lms,
    ORDER_HISTORY_URL: `${lms}/orders`,
    STUDIO_BASE_URL: studio,
    LOGO_URL: `${dashboard}/logo.svg`,
    LOGO_TRADEMARK_URL: `${dashboard}/logo.svg`,
    LOGO_WHITE_URL: `${dashboard}/logo.svg`,
    FAVICON_URL: `${dashboard}/favicon.svg`,
  };
}
