// The two gates of the API: `authenticate` (every /api/v1 route: a verified LMS token, else 401)
// and `courseGate` (every /api/v1/courses/{course} route: a well-formed course id, course
// access, else 403, and a course we know, else 404).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { courseId } from '../params.ts';
import { requestHeader } from '../request.ts';
import { requestToken, unauthorized } from './token.ts';

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const token = requestToken(requestHeader(c, 'authorization'), requestHeader(c, 'cookie'));
  if (!token) throw unauthorized('sign in to the LMS first: no token in the cookies or headers');
  c.set('caller', await c.get('services').verify(token));
  await next();
});

export const courseGate = createMiddleware<AppEnv>(async (c, next) => {
  const id = courseId(c.req.param('course'));
  const { access, versions } = c.get('services');
  if (!(await access.canSee(c.get('caller'), id))) {
    throw new ApiError(403, 'forbidden', `you are not on the course team of ${id}`);
  }
  const version = await versions.get(id);
  if (version === null) throw notFound(`course ${id}`);
  c.set('courseId', id);
  c.set('dataVersion', version);
  await next();
});
