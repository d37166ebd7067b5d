// GET /api/v1/me: who the verified token says the caller is.
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

export const me = new Hono<AppEnv>().get('/', (c) => {
  const { username, administrator } = c.get('caller');
  return c.json({ username, administrator });
});
