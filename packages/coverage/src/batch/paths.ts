/**
 * Where a batch finds its scenarios and puts each one's output. Paths are
 * joined as Python's `os.path.join` joins them (no normalisation), so the
 * `{SCENARIO}` and `{OUTPUT_DIR}` a launch command receives, and the paths
 * printed, are the ones the Python tool would use.
 */
import { readdirSync, statSync } from 'node:fs';

/** `os.path.join`: an absolute part restarts the path; a `/` is added only where missing. */
export function pathJoin(first: string, ...rest: string[]): string {
  let path = first;
  for (const part of rest) {
    if (part.startsWith('/')) path = part;
    else if (path === '' || path.endsWith('/')) path += part;
    else path += `/${part}`;
  }
  return path;
}

/** A file name without its directory and last extension (`os.path.splitext(basename)`). */
export function scenarioName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  // A leading dot starts a name, not an extension (`.osc` is named `.osc`).
  return dot > 0 && base.slice(0, dot).replace(/\./g, '') !== '' ? base.slice(0, dot) : base;
}

/** A folder that cannot be used; the message is one line for the user. */
export class BatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchInputError';
  }
}

/** Compare by code point, as Python sorts strings. */
function byCodePoint(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = (left[i] as string).codePointAt(0) as number;
    const y = (right[i] as string).codePointAt(0) as number;
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}

/**
 * The scenarios of a folder: entries ending in `.osc` or `.sce`, as paths
 * under `dir`, sorted. Two with the same name (`a.osc`, `a.sce`) would share
 * an output folder: refused.
 */
export function listScenarios(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : code;
    throw new BatchInputError(`Scenario directory '${dir}' ${reason}.`);
  }
  const scenarios = entries
    .filter((entry) => entry.endsWith('.osc') || entry.endsWith('.sce'))
    .map((entry) => pathJoin(dir, entry))
    .sort(byCodePoint);
  if (scenarios.length === 0) throw new BatchInputError(`Directory ${dir} does not contain any scenarios.`);
  const seen = new Map<string, string>();
  for (const scenario of scenarios) {
    const name = scenarioName(scenario);
    const other = seen.get(name);
    if (other !== undefined) {
      throw new BatchInputError(`${other} and ${scenario} would share the output folder '${name}': rename one.`);
    }
    seen.set(name, scenario);
  }
  return scenarios;
}

/** The names of the subfolders of `outputDir` (for `--merge-only` without `-i`), sorted. */
export function resultFolders(outputDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(outputDir);
  } catch {
    throw new BatchInputError(`Output directory '${outputDir}' does not exist.`);
  }
  const folders = entries.filter((entry) => {
    try {
      return statSync(pathJoin(outputDir, entry)).isDirectory();
    } catch {
      return false;
    }
  });
  if (folders.length === 0) throw new BatchInputError(`Output directory '${outputDir}' holds no scenario folders.`);
  return folders.sort(byCodePoint);
}
