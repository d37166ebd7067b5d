import { readFile } from 'node:fs/promises';
import { StructureError } from './course-id.ts';

/** One answer read from a file: its JSON value, or why that part could not be read. */
export type FileAnswer =
  | { line?: number; answer: unknown; error?: undefined }
  | { line: number; answer?: undefined; error: string };

/**
 * Reads saved Course Blocks API answers: a file holding one JSON answer (compact or
 * pretty-printed), a JSON array of answers, or several answers one per line (JSON Lines). A line
 * that is not JSON is reported with its number and the other lines are still read.
 */
export async function readAnswersFile(file: string): Promise<FileAnswer[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StructureError(
      code === 'ENOENT'
        ? `structure file ${file} does not exist`
        : `cannot read structure file ${file}: ${(error as Error).message}`,
    );
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new StructureError(`structure file ${file} is empty`);
  try {
    const whole: unknown = JSON.parse(text);
    return Array.isArray(whole) ? whole.map((answer) => ({ answer })) : [{ answer: whole }];
  } catch (wholeError) {
    const lines = text.split('\n');
    const answers: FileAnswer[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        answers.push({ line: index + 1, answer: JSON.parse(line) as unknown });
      } catch (error) {
        answers.push({
          line: index + 1,
          error: `line ${index + 1} is not JSON: ${message(error)}`,
        });
      }
    });
    if (answers.every((answer) => answer.error !== undefined)) {
      throw new StructureError(`structure file ${file} is not JSON: ${message(wholeError)}`);
    }
    return answers;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
