// Readers of the deployment files, for the tests: the names each one uses or lists.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPOSITORY = path.resolve(import.meta.dirname, '../..');

export function readRepositoryFile(name: string): string {
  return readFileSync(path.join(REPOSITORY, name), 'utf8');
}

/** Every name .env.example lists, set (`NAME=...`) or commented out (`# NAME=...`). */
export function envExampleNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
}

/** The names .env.example leaves empty: the ones Compose requires. */
export function requiredEnvExampleNames(text: string): string[] {
  return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=$/gm)].map((match) => match[1]!);
}

/** Every `${NAME}`, `${NAME:-default}` or `${NAME:?error}` interpolated in a Compose file or
 * the nginx template (Compose's `$$NAME` escapes are left to the container's shell). */
export function interpolatedNames(text: string): Set<string> {
  const unescaped = text.replaceAll('$$', '');
  return new Set([...unescaped.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
}

/** The environment entries of a Compose file that take their value from .env (`NAME:` alone). */
export function passedThroughNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*$/gm)].map((match) => match[1]!));
}

/** The settings docs/configuration.md names: its tables' first cells, and every other
 * back-quoted NAME_WITH_UNDERSCORES (the dashboard's list is prose). */
export function documentedSettings(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(match[1]!);
    for (const match of line.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)) names.add(match[1]!);
  }
  return names;
}

/** The dashboard's build settings: ENV_NAMES of frontend-app-stats/vite.config.ts. */
export function dashboardSettingNames(viteConfig: string): string[] {
  const list = /ENV_NAMES = \[([^\]]*)\]/.exec(viteConfig)?.[1];
  if (list === undefined) throw new Error('vite.config.ts has no ENV_NAMES = [...]');
  return [...list.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1]!);
}

export interface DockerfileStage {
  name: string;
  /** The image or earlier stage it starts from. */
  from: string;
  /** Instructions after FROM, continuation lines joined: [keyword, rest]. */
  instructions: [string, string][];
}

export function dockerfileStages(dockerfile: string): DockerfileStage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: DockerfileStage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = keyword.toUpperCase();
    if (instruction === 'FROM') {
      const [from = '', as, name] = rest;
      if (as?.toUpperCase() !== 'AS' || !name) throw new Error(`unnamed stage: ${line}`);
      stages.push({ name, from, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push([instruction, rest.join(' ')]);
    }
  }
  return stages;
}

/** The user a stage's last instruction runs as: its last USER, else its parent stage's. */
export function stageUser(stages: DockerfileStage[], stage: DockerfileStage): string | undefined {
  const users = stage.instructions.filter(([keyword]) => keyword === 'USER');
  if (users.length > 0) return users.at(-1)![1];
  const parent = stages.find((other) => other.name === stage.from);
  return parent ? stageUser(stages, parent) : undefined;
}

/** The sources of a COPY or ADD (flags and destination left out). */
export function copySources(arguments_: string): { sources: string[]; fromStage: boolean } {
  const words = arguments_.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  return {
    sources: paths.slice(0, -1),
    fromStage: flags.some((flag) => flag.startsWith('--from=')),
  };
}
