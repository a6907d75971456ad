/**
 * Prebuilt syntax trees of the bundled OSC libraries (`osc/*.osc`), so that a
 * run does not lex and parse them again.
 *
 * The bundle step (scripts/bundle.mjs) parses the libraries with the parser it
 * bundles and embeds the trees in the bundle as the string constant
 * `__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__`. So a tree is only ever used by
 * the parser's own build, and only while the library's text is the text it was
 * made from: an edited `.osc` file is parsed again. The engine compiled by tsc
 * alone has no such constant and parses.
 *
 * The JSON form of a tree: every `undefined` field as `null` (a tree holds no
 * `null`, and the fields stay in place) and every location's `file` as `0`.
 */
import type * as Ast from '../language/ast.js';
import type { SourceFile } from '../language/diagnostics.js';

/** One prebuilt library: the text it was parsed from, and the JSON text of its tree. */
export interface PrebuiltLibrary {
  readonly text: string;
  readonly ast: string;
}

/** Prebuilt libraries by name (`types`, `standard`, …). */
export type PrebuiltLibraries = Readonly<Record<string, PrebuiltLibrary>>;

/** Set by the bundler's `define` to the JSON of the PrebuiltLibraries; undeclared elsewhere. */
declare const __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__: string;

/** A location's `file` in the JSON form; restored to the library's SourceFile. */
const FILE_MARK = 0;

/** The JSON text of a parsed library. */
export function serializeLibraryAst(ast: Ast.OscFile): string {
  return JSON.stringify(ast, (key, value) => {
    if (value === undefined) return null;
    if (key === 'file' && typeof value === 'object') return FILE_MARK;
    return value;
  });
}

/** The tree of a parsed JSON form, its locations in `file` (modifies and returns `data`). */
export function reviveLibraryAst(data: unknown, file: SourceFile): Ast.OscFile {
  // Explicit stack: a deep expression must not overflow the call stack.
  const pending: object[] = [data as object];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const record = next as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (value === null) record[key] = undefined;
      else if (key === 'file' && value === FILE_MARK) record[key] = file;
      else if (typeof value === 'object') pending.push(value);
    }
  }
  return data as Ast.OscFile;
}

let embedded: PrebuiltLibraries | undefined;

/** The libraries embedded in the bundle (read once); empty outside the bundle. */
function embeddedLibraries(): PrebuiltLibraries {
  if (embedded === undefined) {
    embedded =
      typeof __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__ === 'string'
        ? (JSON.parse(__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__) as PrebuiltLibraries)
        : {};
  }
  return embedded;
}

/**
 * The prebuilt tree of bundled library `name` when it was made from exactly
 * `source.text`; undefined otherwise (the caller parses). Each call makes a
 * new tree, located in `source`.
 */
export function prebuiltLibraryAst(
  name: string,
  source: SourceFile,
  libraries: PrebuiltLibraries = embeddedLibraries(),
): Ast.OscFile | undefined {
  const library = Object.hasOwn(libraries, name) ? libraries[name] : undefined;
  if (library === undefined || library.text !== source.text) return undefined;
  return reviveLibraryAst(JSON.parse(library.ast), source);
}
