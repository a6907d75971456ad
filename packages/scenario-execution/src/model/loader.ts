/**
 * Loading a scenario: read the file, follow its imports (each file once),
 * parse everything and resolve it into the model.
 *
 * - `import osc.<name>`: a bundled library (`types`, `standard`, `helpers`,
 *   `robotics`) or one a plugin provides (via `libraryResolver`);
 * - `import "path.osc"`: a file, relative to the importing file.
 * An import cycle is an error at the import that closes it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Ast from '../language/ast.js';
import { OscError, SourceFile } from '../language/diagnostics.js';
import { parse } from '../language/parser.js';
import { fileErrorText, readTextFile } from '../language/text-file.js';
import type { ExternalFunction, OscModel } from './model.js';
import { prebuiltLibraryAst } from './prebuilt-libraries.js';
import { type LoadedFile, Resolver } from './resolver.js';
import { didYouMean } from '../language/suggest.js';

export interface LoadOptions {
  /**
   * Absolute path of the `.osc` file of library `name` (for `import
   * osc.<name>`) provided by a plugin; bundled libraries are looked up first.
   */
  libraryResolver?: (name: string) => string | undefined;
  /** Names of the libraries plugins provide, for "did you mean" hints. */
  libraryNames?: () => Iterable<string>;
  /**
   * The function behind `def … is external <module>.<function>()`. When
   * given, every external method must exist (an error at its declaration
   * otherwise); when absent, calling one fails when it is evaluated.
   */
  externalMethods?: (
    module: string,
    functionName: string,
  ) => ExternalFunction | undefined | Promise<ExternalFunction | undefined>;
  /** Read a file (default: UTF-8 from disk). */
  readFile?: (absolutePath: string) => string;
}

/** Directory of the bundled libraries (`osc/` of this package, from src/ and dist/ alike). */
export const BUNDLED_LIBRARY_DIR = fileURLToPath(new URL('../../osc/', import.meta.url));
export const BUNDLED_LIBRARIES: readonly string[] = ['types', 'standard', 'helpers', 'robotics'];

/** Load, parse and resolve the scenario file at `path`. Throws OscError. */
export async function loadScenario(path: string, options: LoadOptions = {}): Promise<OscModel> {
  let text: string;
  try {
    text = options.readFile ? options.readFile(resolve(path)) : defaultRead(resolve(path), path);
  } catch (e) {
    if (e instanceof OscError) throw e;
    throw new OscError(`cannot read scenario file ${path}: ${fileErrorText(e)}`, undefined);
  }
  return loadScenarioFromText(text, path, options);
}

/** Like loadScenario, with the main file's text given (imports are still read from disk). */
export async function loadScenarioFromText(text: string, path: string, options: LoadOptions = {}): Promise<OscModel> {
  const main = new SourceFile(path, text);
  const files = new FileCollector(options).collect(main);
  const externals = options.externalMethods ? await prefetchExternals(files, options.externalMethods) : undefined;
  return new Resolver(files, externals).resolve(main);
}

/** Reads a file, rejecting one that is not text (reported under the path as given). */
function defaultRead(absolutePath: string, shownPath?: string): string {
  return readTextFile(absolutePath, shownPath);
}

/**
 * Parsed bundled libraries, kept for the life of the process: they do not
 * change, and their trees are never modified.
 */
const bundledLibraries = new Map<string, LoadedFile>();

/** Follows imports depth-first; files come out imports first, then the importing file. */
class FileCollector {
  private readonly loaded = new Set<string>();
  private readonly stack: string[] = [];
  private readonly out: LoadedFile[] = [];

  constructor(private readonly options: LoadOptions) {}

  collect(main: SourceFile): LoadedFile[] {
    this.visit(main, resolve(main.path));
    return this.out;
  }

  private visit(source: SourceFile, absolute: string, cachedAst?: Ast.OscFile): void {
    this.loaded.add(absolute);
    this.stack.push(absolute);
    const ast = cachedAst ?? parse(source);
    for (const imp of ast.imports) {
      const target = this.locate(imp, source, absolute);
      if (this.stack.includes(target.absolute)) {
        const cycle = [...this.stack.slice(this.stack.indexOf(target.absolute)), target.absolute];
        throw new OscError(`import cycle: ${cycle.map((p) => this.display(p)).join(' → ')}`, imp.loc);
      }
      if (this.loaded.has(target.absolute)) continue;
      const bundled = !this.options.readFile ? bundledLibraries.get(target.absolute) : undefined;
      if (bundled) {
        this.visit(bundled.source, target.absolute, bundled.ast);
        continue;
      }
      let text: string;
      try {
        text = this.options.readFile ? this.options.readFile(target.absolute) : defaultRead(target.absolute);
      } catch (e) {
        const reason = e instanceof OscError ? e.message : fileErrorText(e);
        throw new OscError(`cannot read imported file ${target.display}: ${reason}`, imp.loc);
      }
      const importedSource = new SourceFile(target.display, text);
      if (target.absolute.startsWith(BUNDLED_LIBRARY_DIR) && !this.options.readFile) {
        const name = basename(target.absolute, '.osc');
        const ast = prebuiltLibraryAst(name, importedSource) ?? parse(importedSource);
        bundledLibraries.set(target.absolute, { source: importedSource, ast });
        this.visit(importedSource, target.absolute, bundledLibraries.get(target.absolute)!.ast);
        continue;
      }
      this.visit(importedSource, target.absolute);
    }
    this.stack.pop();
    this.out.push({ source, ast });
  }

  private readonly displayNames = new Map<string, string>();

  private display(absolute: string): string {
    return this.displayNames.get(absolute) ?? absolute;
  }

  private locate(
    imp: Ast.ImportStatement,
    importer: SourceFile,
    importerAbsolute: string,
  ): { absolute: string; display: string } {
    if (imp.source === 'file') {
      const absolute = resolve(dirname(importerAbsolute), imp.name);
      const display = join(dirname(importer.path), imp.name);
      if (!existsSync(absolute) && !this.options.readFile) {
        throw new OscError(`imported file ${imp.name} not found (${absolute})${this.siblingHint(absolute)}`, imp.loc);
      }
      this.displayNames.set(absolute, display);
      return { absolute, display };
    }
    if (imp.parts.length < 2 || imp.parts[0] !== 'osc') {
      throw new OscError(`import reference can only be of format osc.<library-name>, found \`${imp.name}\``, imp.loc);
    }
    const name = imp.parts.slice(1).join('.');
    const display = `osc.${name}`;
    let absolute: string | undefined;
    if (BUNDLED_LIBRARIES.includes(name)) absolute = join(BUNDLED_LIBRARY_DIR, `${name}.osc`);
    else absolute = this.options.libraryResolver?.(name);
    if (!absolute) {
      const known = [...BUNDLED_LIBRARIES, ...(this.options.libraryNames?.() ?? [])];
      const hint = didYouMean(name, known).replace(/`([^`]+)`\?$/, '`osc.$1`?');
      throw new OscError(`no import library \`osc.${name}\` found${hint}`, imp.loc);
    }
    absolute = resolve(absolute);
    this.displayNames.set(absolute, display);
    return { absolute, display };
  }

  private siblingHint(absolute: string): string {
    try {
      const dir = dirname(absolute);
      const names = readdirSync(dir).filter((n) => n.endsWith('.osc'));
      const base = absolute.slice(dir.length + 1);
      return didYouMean(base, names);
    } catch {
      return '';
    }
  }
}

/** Resolve every external method the files declare, so resolution can stay synchronous. */
async function prefetchExternals(
  files: readonly LoadedFile[],
  lookup: NonNullable<LoadOptions['externalMethods']>,
): Promise<(module: string, fn: string) => ExternalFunction | undefined> {
  const found = new Map<string, ExternalFunction | undefined>();
  const wanted: [string, string][] = [];
  const visitMembers = (members: readonly Ast.ScenarioMember[]) => {
    for (const m of members) {
      if (m.kind === 'Method' && m.body.kind === 'ExternalMethod' && m.body.targetParts.length >= 2) {
        const parts = m.body.targetParts.map((p) => p.name);
        wanted.push([parts.slice(0, -1).join('.'), parts[parts.length - 1]!]);
      }
    }
  };
  for (const { ast } of files) {
    for (const d of ast.declarations) {
      if ('members' in d && d.kind !== 'Enum') visitMembers(d.members as readonly Ast.ScenarioMember[]);
    }
  }
  for (const [module, fn] of wanted) {
    const key = `${module}\u0000${fn}`;
    if (found.has(key)) continue;
    try {
      found.set(key, await lookup(module, fn));
    } catch {
      // A module that fails to load: the method is reported as not found at its declaration.
      found.set(key, undefined);
    }
  }
  return (module, fn) => found.get(`${module}\u0000${fn}`);
}
