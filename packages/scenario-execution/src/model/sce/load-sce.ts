/**
 * Loading a `.sce` file (a model the Python `scenario_variation` wrote): read
 * the YAML strictly, write the model back as OSC text (sce-to-osc.ts), and
 * load that text like a scenario. Errors name the line of the `.sce` file
 * the failing OSC line came from, and quote that OSC line.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as Ast from '../../language/ast.js';
import { OscError, SourceFile } from '../../language/diagnostics.js';
import { parse } from '../../language/parser.js';
import { fileErrorText, readTextFile } from '../../language/text-file.js';
import { BUNDLED_LIBRARIES, BUNDLED_LIBRARY_DIR, type LoadOptions, loadScenarioFromText } from '../loader.js';
import type { OscModel } from '../model.js';
import { errorAt, readSceDocument } from './sce-document.js';
import { type GeneratedLine, type LibraryLookup, SceConversionError, sceToOsc } from './sce-to-osc.js';

/** Load and resolve the `.sce` file at `path`. Throws OscError. */
export async function loadSceScenario(path: string, options: LoadOptions = {}): Promise<OscModel> {
  let text: string;
  try {
    text = readTextFile(resolve(path), path);
  } catch (error) {
    if (error instanceof OscError) throw error;
    throw new OscError(`cannot read scenario file ${path}: ${fileErrorText(error)}`, undefined);
  }
  return loadSceText(text, path, options);
}

/** Like loadSceScenario, with the file's text given. */
export async function loadSceText(text: string, path: string, options: LoadOptions = {}): Promise<OscModel> {
  const source = new SourceFile(path, text);
  const elements = readSceDocument(source);
  let lines: ReturnType<typeof sceToOsc>;
  try {
    lines = sceToOsc(elements, libraryLookup(options));
  } catch (error) {
    if (error instanceof SceConversionError) throw errorAt(source, error.sceOffset, error.message);
    throw error;
  }
  return loadScenarioFromText(alignedText(source, lines), path, options);
}

/**
 * The generated lines, each on the line number of the `.sce` element it came
 * from (blank lines between), so that every error of the scenario, in the
 * loader or in the tree builder, names the right line of the `.sce` file and
 * shows the OSC text made of it. When two lines come from one element (never
 * in files the Python tool writes) the lines simply follow each other.
 */
function alignedText(source: SourceFile, lines: readonly GeneratedLine[]): string {
  const out: string[] = [];
  for (const line of lines) {
    const target = source.position(line.sceOffset).line;
    if (target <= out.length) return `${lines.map((l) => l.text).join('\n')}\n`;
    while (out.length < target - 1) out.push('');
    out.push(line.text);
  }
  return `${out.join('\n')}\n`;
}

/** Which library declares each top-level name: the bundled ones, then the plugins'. */
function libraryLookup(options: LoadOptions): LibraryLookup {
  const byKey = new Map<string, string>();
  const names = [...BUNDLED_LIBRARIES, ...(options.libraryNames?.() ?? [])];
  for (const name of names) {
    const file = BUNDLED_LIBRARIES.includes(name)
      ? join(BUNDLED_LIBRARY_DIR, `${name}.osc`)
      : options.libraryResolver?.(name);
    if (!file) continue;
    let ast: Ast.OscFile;
    try {
      ast = parse(new SourceFile(`osc.${name}`, readFileSync(file, 'utf8')));
    } catch {
      // A broken plugin library is reported when (and if) the scenario imports it.
      continue;
    }
    for (const decl of ast.declarations) {
      const key = astDeclarationKey(decl);
      if (key !== undefined && !byKey.has(key)) byKey.set(key, name);
    }
  }
  return (key) => byKey.get(key);
}

/** The key of a library declaration, as sce-to-osc's declarationKey makes it for a `.sce` element. */
function astDeclarationKey(decl: Ast.Declaration): string | undefined {
  switch (decl.kind) {
    case 'PhysicalType':
    case 'Unit':
    case 'Enum':
    case 'Struct':
    case 'Actor':
    case 'Modifier':
    case 'Global':
      return `${decl.kind}:${decl.name.name}`;
    case 'Action':
    case 'Scenario':
      return `${decl.kind}:${decl.name.text}`;
    default:
      return undefined;
  }
}
