// nginx/templates/course-stats.conf.template under a real nginx (Debian's): rendered as the
// official image's envsubst step renders it, wrapped in a minimal nginx.conf whose files all live
// in one folder, checked with `nginx -t`, then run in the foreground as a child process.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const NGINX_TEMPLATE = path.resolve(
  import.meta.dirname,
  '..',
  'nginx',
  'templates',
  'course-stats.conf.template',
);

/** The template's variables (nginx/README.md): the list to give envsubst. */
export const NGINX_VARIABLES = [
  'STATS_SERVER_NAME',
  'STATS_HTTP_PORT',
  'STATS_HTTPS_PORT',
  'STATS_API_UPSTREAM',
  'STATS_LMS_ORIGIN',
  'STATS_FRAME_ANCESTORS',
  'STATS_TLS_CERTIFICATE',
  'STATS_TLS_CERTIFICATE_KEY',
  'STATS_DASHBOARD_ROOT',
  'STATS_ACME_ROOT',
] as const;

export type NginxSettings = Record<(typeof NGINX_VARIABLES)[number], string>;

/** The nginx binary: NGINX_PATH, else Debian's; undefined when there is none. */
export function findNginx(): string | undefined {
  const candidate = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * What `envsubst '${A} ${B} ...'` writes: `$NAME` and `${NAME}` replaced for the listed names
 * only, every other `$` left alone. A listed name without a value is an error here (envsubst
 * would write an empty string, which nginx then rejects far less clearly).
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  names: readonly string[] = Object.keys(values),
): string {
  const listed = new Set(names);
  return template.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (reference, braced?: string, bare?: string) => {
      const name = (braced ?? bare)!;
      if (!listed.has(name)) return reference;
      const value = values[name];
      if (value === undefined) throw new Error(`the nginx template needs a value for ${name}`);
      return value;
    },
  );
}

/** A self-signed certificate for `host` (an IP address) in `folder`, valid one day. */
export async function selfSignedCertificate(
  folder: string,
  host = '127.0.0.1',
): Promise<{ certificate: string; key: string }> {
  const certificate = path.join(folder, 'certificate.pem');
  const key = path.join(folder, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=IP:${host}`,
    '-keyout',
    key,
    '-out',
    certificate,
  ]);
  return { certificate, key };
}

/**
 * A main nginx.conf around the rendered conf.d file, everything (pid, logs, temp files) in
 * `folder`. Run as root, the workers stay root: as `nobody` they could not read the test's
 * private temporary folders.
 */
function mainConfig(folder: string, confd: string): string {
  const file = (name: string) => path.join(folder, name);
  return [
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    'daemon off;',
    `pid ${file('nginx.pid')};`,
    `error_log ${file('error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    `  access_log ${file('access.log')};`,
    `  client_body_temp_path ${file('client_body')};`,
    `  proxy_temp_path ${file('proxy')};`,
    `  fastcgi_temp_path ${file('fastcgi')};`,
    `  uwsgi_temp_path ${file('uwsgi')};`,
    `  scgi_temp_path ${file('scgi')};`,
    `  include ${confd};`,
    '}',
    '',
  ].join('\n');
}

export interface PreparedNginx {
  /** The main configuration file, to give `nginx -c`. */
  config: string;
  errorLog: string;
  /** `nginx -t`; throws with nginx's own words when the configuration is refused. */
  check(): Promise<string>;
}

/** Renders the template with `settings` and writes the configuration files into `folder`. */
export async function prepareNginx(
  nginx: string,
  folder: string,
  settings: NginxSettings,
): Promise<PreparedNginx> {
  const confd = path.join(folder, 'course-stats.conf');
  const config = path.join(folder, 'nginx.conf');
  const errorLog = path.join(folder, 'error.log');
  await writeFile(confd, renderTemplate(await readFile(NGINX_TEMPLATE, 'utf8'), settings));
  await writeFile(config, mainConfig(folder, confd));
  return {
    config,
    errorLog,
    async check() {
      try {
        const { stderr } = await run(nginx, ['-t', '-e', errorLog, '-p', folder, '-c', config]);
        return stderr;
      } catch (error) {
        throw new Error(`nginx -t refused ${config}:\n${(error as { stderr?: string }).stderr}`);
      }
    },
  };
}

export interface RunningNginx {
  close(): Promise<void>;
}

/** Checks the configuration, starts nginx and waits until it accepts connections on `port`. */
export async function startNginx(
  nginx: string,
  prepared: PreparedNginx,
  port: number,
): Promise<RunningNginx> {
  await prepared.check();
  const child = spawn(nginx, ['-e', prepared.errorLog, '-c', prepared.config], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await listening(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    const log = await readFile(prepared.errorLog, 'utf8').catch(() => '(no error log)');
    throw new Error(`${(error as Error).message}; ${prepared.errorLog}:\n${log}`);
  }
  return { close: () => stop(child) };
}

async function listening(child: ChildProcess, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on port ${port} within ${timeoutMs} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Graceful shutdown (SIGQUIT), fast shutdown (SIGTERM) when that takes over 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
  await exited;
  clearTimeout(timer);
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** As sent: still compressed when Content-Encoding says so. */
  body: Buffer;
}

/** A GET over HTTP or HTTPS that trusts any certificate (the test's own), for this request only. */
export function getRaw(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const answered = (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    };
    const options: https.RequestOptions = { headers, agent: false, rejectUnauthorized: false };
    const req = url.startsWith('https:')
      ? https.request(url, options, answered)
      : http.request(url, options, answered);
    req.on('error', reject);
    req.end();
  });
}
