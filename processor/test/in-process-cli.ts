import { vi } from 'vitest';
import { main } from '../src/cli.ts';

/**
 * Runs the command line in this process (so that servers the test started, like the fake LMS,
 * answer from here too), capturing what it prints.
 */
export async function runCli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
