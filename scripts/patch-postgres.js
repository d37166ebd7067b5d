// Applied after every `npm install`/`npm ci` (the root package's postinstall): two fixes to
// postgres.js 3.4.9 that are proposed upstream but not released. Without them:
// - a COPY that the server refuses never settles its stream (porsager/postgres#1173, PR #1183);
// - a transaction whose connection dies (database restart, failover) makes postgres.js write to
//   a closed socket from a timer, an uncaught TypeError that kills the process
//   (porsager/postgres#1208, PR #1209).
// Each fix is applied once, to every build of the package; a version other than 3.4.9 or a
// source that no longer matches stops the install, so the fixes are never silently lost.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VERSION = '3.4.9';
const MARK = '/* course-stats patch */';
const FIXES = [
  {
    find: '  function nextWrite(fn) {\n',
    add: `    if (!socket) { ${MARK} // the connection closed: fail its queries instead of crashing
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options, socket))
      return false
    }
`,
  },
  {
    find: '  function errored(err) {\n',
    add: `    final && (final(err), final = null) ${MARK} // settle a refused COPY's stream\n`,
  },
];

// npm workspaces hoist the one copy of postgres to the root's node_modules.
const root = path.resolve(import.meta.dirname, '..', 'node_modules', 'postgres');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (version !== VERSION) {
  throw new Error(
    `scripts/patch-postgres.js fixes postgres ${VERSION}, found ${version}: check the fixes`,
  );
}
for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = path.join(root, build, 'connection.js');
  let source = readFileSync(file, 'utf8');
  if (source.includes(MARK)) continue;
  for (const { find, add } of FIXES) {
    if (!source.includes(find))
      throw new Error(`scripts/patch-postgres.js: ${file} has no "${find.trim()}"`);
    source = source.replace(find, find + add);
  }
  writeFileSync(file, source);
}
