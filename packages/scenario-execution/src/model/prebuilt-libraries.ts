/**
 * Prebuilt syntax trees of the bundled OSC libraries (`osc/*.osc`), so that a
 * run does not lex and parse them again.
 *
 * The bundle step (scripts/bundle.mjs) parses the libraries with the parser it
 * bundles and writes each tree as code, a function of the library's SourceFile that
 * returns the tree (`libraryTreeCode`), into a module it bundles and hands in as
 * `__SCENARIO_EXECUTION_PREBUILT_LIBRARIES__`. Being code of the bundle, the trees
 * come with its code cache: a run makes a tree from compiled object literals instead
 * of reading, parsing and walking a JSON form of it (a third of a start's work over
 * Node's, and a TurboFan compile of the walk). A tree is only ever used by the
 * parser's own build, and only while the library's text is the text it was made
 * from: an edited `.osc` file is parsed again. The engine compiled by tsc alone has
 * no such table and parses.
 */
import type * as Ast from '../language/ast.js';
import type { SourceFile } from '../language/diagnostics.js';

/** One prebuilt library: the text it was parsed from, and the maker of its tree. */
export interface PrebuiltLibrary {
  readonly text: string;
  /** A new tree of the library, its locations in `file`. */
  readonly tree: (file: SourceFile) => Ast.OscFile;
}

/** Prebuilt libraries by name (`types`, `standard`, …). */
export type PrebuiltLibraries = Readonly<Record<string, PrebuiltLibrary>>;

/** Set by the bundler to the table of the prebuilt libraries; undeclared elsewhere. */
declare const __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__: PrebuiltLibraries | undefined;

/** The name the code of a tree gives the library's SourceFile. */
const FILE_PARAMETER = 'file';

/**
 * Nesting deeper than this is not written as code (V8's parser would run out of
 * stack on it): such a library is parsed at run time.
 */
export const MAX_CODE_DEPTH = 500;

/** A property key as code: bare when it is an identifier (never `__proto__`, which sets the prototype). */
function keyCode(key: string): string {
  if (key === '__proto__') return `[${JSON.stringify(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function numberCode(value: number): string {
  if (Object.is(value, -0)) return '-0';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}

/**
 * The code of a function expression that returns a new copy of `ast`, the tree of a
 * library parsed from `file`: every location's `file` is the function's parameter,
 * every field kept in its place (an undefined one as `void 0`: the shapes the resolver
 * sees stay those of the parser). Undefined when the tree holds something code cannot
 * make (another object than a plain one, an array or `file`) or nests deeper than
 * MAX_CODE_DEPTH.
 */
export function libraryTreeCode(ast: Ast.OscFile, file: SourceFile): string | undefined {
  const parts: string[] = [];
  // Recursion is bounded by MAX_CODE_DEPTH.
  const write = (value: unknown, depth: number): boolean => {
    if (depth > MAX_CODE_DEPTH) return false;
    switch (typeof value) {
      case 'undefined':
        parts.push('void 0');
        return true;
      case 'string':
        parts.push(JSON.stringify(value));
        return true;
      case 'number':
        parts.push(numberCode(value));
        return true;
      case 'boolean':
        parts.push(String(value));
        return true;
      case 'bigint':
        parts.push(`${value}n`);
        return true;
      case 'object':
        break;
      default:
        return false;
    }
    if (value === null) {
      parts.push('null');
      return true;
    }
    if (value === file) {
      parts.push(FILE_PARAMETER);
      return true;
    }
    if (Array.isArray(value)) {
      parts.push('[');
      for (let index = 0; index < value.length; index++) {
        if (index > 0) parts.push(',');
        if (!Object.hasOwn(value, index) || !write(value[index], depth + 1)) return false;
      }
      parts.push(']');
      return true;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    parts.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      parts.push(first ? '' : ',', keyCode(key), ':');
      first = false;
      if (!write((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    parts.push('}');
    return true;
  };
  if (!write(ast, 0)) return undefined;
  return `(${FILE_PARAMETER})=>(${parts.join('')})`;
}

/** The libraries prebuilt for the bundle; none outside it. */
function embeddedLibraries(): PrebuiltLibraries {
  return typeof __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__ === 'object' ? __SCENARIO_EXECUTION_PREBUILT_LIBRARIES__ : {};
}

/**
 * The prebuilt tree of bundled library `name` when it was made from exactly
 * `source.text`, located in `source`; undefined otherwise (the caller parses).
 * Each call makes a new tree.
 */
export function prebuiltLibraryAst(
  name: string,
  source: SourceFile,
  libraries: PrebuiltLibraries = embeddedLibraries(),
): Ast.OscFile | undefined {
  const library = Object.hasOwn(libraries, name) ? libraries[name] : undefined;
  if (library === undefined || library.text !== source.text) return undefined;
  return library.tree(source);
}
