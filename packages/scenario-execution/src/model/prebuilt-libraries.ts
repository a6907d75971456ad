/**
 * Prebuilt syntax trees of the bundled OSC libraries (`osc/*.osc`), so that a
 * run does not lex and parse them again.
 *
 * The bundle step (scripts/bundle.mjs) parses the libraries with the parser it
 * bundles and writes their trees beside the bundle, in `osc-libraries.json`,
 * whose path it gives the bundle as `__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__`.
 * So a tree is only ever used by the parser's own build, and only while the
 * library's text is the text it was made from: an edited `.osc` file is parsed
 * again. The engine compiled by tsc alone has no such constant and parses.
 *
 * The JSON form of a tree: every `undefined` field as `null` (a tree holds no
 * `null`, and the fields stay in place) and every location's `file` as `0`.
 */
import { readFileSync } from 'node:fs';
import type * as Ast from '../language/ast.js';
import type { SourceFile } from '../language/diagnostics.js';

/** One prebuilt library: the text it was parsed from, and its tree in JSON form. */
export interface PrebuiltLibrary {
  readonly text: string;
  readonly ast: unknown;
}

/** Prebuilt libraries by name (`types`, `standard`, …). */
export type PrebuiltLibraries = Record<string, PrebuiltLibrary>;

/**
 * Set by the bundler's `define` to the URL of the PrebuiltLibraries' JSON file,
 * relative to this module's; undeclared elsewhere.
 */
declare const __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__: string;

/** A location's `file` in the JSON form; restored to the library's SourceFile. */
const FILE_MARK = 0;

/** The JSON form of a parsed library. */
export function serializeLibraryAst(ast: Ast.OscFile): unknown {
  return JSON.parse(
    JSON.stringify(ast, (key, value) => {
      if (value === undefined) return null;
      if (key === 'file' && typeof value === 'object') return FILE_MARK;
      return value;
    }),
  );
}

/**
 * The tree of a parsed JSON form, its locations in `file` (modifies and returns `data`).
 * On every run, for `osc.types` and `osc.helpers`: arrays by index and records by
 * `for…in` (no array of keys made per object) take a third of the time `Object.keys` did.
 */
export function reviveLibraryAst(data: unknown, file: SourceFile): Ast.OscFile {
  // Explicit stack: a deep expression must not overflow the call stack.
  const pending: object[] = [data as object];
  while (pending.length > 0) {
    const next = pending.pop() as object;
    if (Array.isArray(next)) {
      for (let index = 0; index < next.length; index++) {
        const value: unknown = next[index];
        if (value === null) next[index] = undefined;
        else if (typeof value === 'object') pending.push(value);
      }
      continue;
    }
    const record = next as Record<string, unknown>;
    // A parsed JSON object has only its own, plain properties.
    for (const key in record) {
      const value = record[key];
      if (value === null) record[key] = undefined;
      else if (typeof value === 'object') pending.push(value);
      else if (value === FILE_MARK && key === 'file') record[key] = file;
    }
  }
  return data as Ast.OscFile;
}

let embedded: PrebuiltLibraries | undefined;

/** The libraries prebuilt for the bundle (read once); none outside the bundle, or when unreadable. */
function embeddedLibraries(): PrebuiltLibraries {
  if (embedded === undefined) {
    embedded = {};
    if (typeof __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__ === 'string') {
      try {
        const url = new URL(__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__, import.meta.url);
        embedded = JSON.parse(readFileSync(url, 'utf8')) as PrebuiltLibraries;
      } catch {
        // Missing or damaged: the libraries are parsed, as without the bundle.
      }
    }
  }
  return embedded;
}

/**
 * The prebuilt tree of bundled library `name` when it was made from exactly
 * `source.text`, located in `source`; undefined otherwise (the caller parses).
 * A tree is handed out once (the loader keeps it for the process): a second
 * call for the same name returns undefined.
 */
export function prebuiltLibraryAst(
  name: string,
  source: SourceFile,
  libraries: PrebuiltLibraries = embeddedLibraries(),
): Ast.OscFile | undefined {
  const library = Object.hasOwn(libraries, name) ? libraries[name] : undefined;
  if (library === undefined || library.text !== source.text) return undefined;
  delete libraries[name];
  return reviveLibraryAst(library.ast, source);
}
