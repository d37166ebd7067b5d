/**
 * dev-lms: a stand-in for the Open edX LMS (login with JWT cookies, JWKS, roles, OAuth2 client
 * credentials, Course Blocks and Courses APIs) for development, tests and the demo. Never run it
 * in production: `startDevLms` throws when NODE_ENV=production.
 */
export { startDevLms, assertNotProduction, parseCourseKey, PRODUCTION_REFUSAL } from './server.ts';
export {
  DEMO_USERS,
  DEMO_ROLES,
  DEMO_COURSES,
  DEMO_OAUTH_CLIENTS,
  DEMO_COURSE_ID,
  OTHER_COURSE_ID,
  demoBlocks,
} from './demo.ts';
export { describeUser } from './login-page.ts';
export { readConfig } from './config.ts';
export type {
  DevLms,
  DevLmsCourse,
  DevLmsEndpoint,
  DevLmsFault,
  DevLmsOAuthClient,
  DevLmsOptions,
  DevLmsRequest,
  DevLmsRole,
  DevLmsTokenOptions,
  DevLmsUser,
} from './types.ts';
