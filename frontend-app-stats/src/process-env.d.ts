// Vite replaces `process.env.NAME` with the value of an allow-listed setting (vite.config.ts).
declare const process: { env: Record<string, string | undefined> };
