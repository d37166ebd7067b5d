/** The made-up Open edX site the synthetic course lives on (Tutor-style host names). */
export const LMS_HOST = 'learn.example.edu';
export const LMS_BASE_URL = `https://${LMS_HOST}`;
export const MFE_BASE_URL = `https://apps.${LMS_HOST}/learning`;
export const STUDIO_HOST = `studio.${LMS_HOST}`;

/** Query string the Learning MFE adds when it loads a unit into its iframe. */
const UNIT_IFRAME_QUERY = 'show_title=0&show_bookmark_button=0&recheck_access=1&view=student_view';

export const UNIT_IFRAME_GET = {
  show_title: ['0'],
  show_bookmark_button: ['0'],
  recheck_access: ['1'],
  view: ['student_view'],
};

export function coursePath(courseId: string, rest = ''): string {
  return `/courses/${courseId}/${rest}`;
}

export function xblockIframeUrl(unitKey: string): string {
  return `${LMS_BASE_URL}/xblock/${unitKey}?${UNIT_IFRAME_QUERY}`;
}

export function jumpToUrl(courseId: string, usageKey: string): string {
  return `${LMS_BASE_URL}/courses/${courseId}/jump_to/${usageKey}`;
}

export function mfeHomeUrl(courseId: string): string {
  return `${MFE_BASE_URL}/course/${courseId}/home`;
}

export function mfeProgressUrl(courseId: string): string {
  return `${MFE_BASE_URL}/course/${courseId}/progress`;
}

export function mfeSequenceUrl(courseId: string, sequentialKey: string): string {
  return `${MFE_BASE_URL}/course/${courseId}/${sequentialKey}`;
}

export function mfeUnitUrl(courseId: string, sequentialKey: string, unitKey: string): string {
  return `${MFE_BASE_URL}/course/${courseId}/${sequentialKey}/${unitKey}`;
}

export function handlerPath(courseId: string, usageKey: string, handler: string): string {
  return `/courses/${courseId}/xblock/${usageKey}/handler/${handler}`;
}
