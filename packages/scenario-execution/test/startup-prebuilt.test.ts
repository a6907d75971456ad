/** The prebuilt syntax trees of the bundled OSC libraries (src/model/prebuilt-libraries.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../src/language/diagnostics.js';
import { parse } from '../src/language/parser.js';
import {
  libraryTreeCode,
  MAX_CODE_DEPTH,
  type PrebuiltLibraries,
  type PrebuiltLibrary,
  prebuiltLibraryAst,
} from '../src/model/prebuilt-libraries.js';

const OSC_DIR = fileURLToPath(new URL('../osc/', import.meta.url));
const LIBRARIES = readdirSync(OSC_DIR)
  .filter((file) => file.endsWith('.osc'))
  .map((file) => basename(file, '.osc'));

function librarySource(name: string, text = readFileSync(join(OSC_DIR, `${name}.osc`), 'utf8')): SourceFile {
  return new SourceFile(`osc.${name}`, text);
}

/** The function the code of a tree is (as the bundle compiles it). */
function compiled(code: string | undefined): PrebuiltLibrary['tree'] {
  expect(code).toBeDefined();
  return new Function(`return ${code}`)() as PrebuiltLibrary['tree'];
}

/** The table the bundle step writes, as the bundle has it. */
function prebuiltTable(): PrebuiltLibraries {
  const table: Record<string, PrebuiltLibrary> = {};
  for (const name of LIBRARIES) {
    const source = librarySource(name);
    table[name] = { text: source.text, tree: compiled(libraryTreeCode(parse(source), source)) };
  }
  return table;
}

/** A form `depth` levels deep (records and lists in turn) around a located leaf, in `file`. */
function nested(depth: number, file: SourceFile): { tree: unknown; leaf: Record<string, unknown> } {
  const leaf: Record<string, unknown> = { kind: 'Leaf', loc: { file, line: 1, column: 1 }, label: undefined };
  let tree: unknown = leaf;
  for (let level = 2; level < depth; level++) tree = level % 2 === 0 ? [tree] : { kind: 'Node', child: tree };
  return { tree, leaf };
}

describe('prebuilt OSC libraries', () => {
  it('finds the four bundled libraries', () => {
    expect([...LIBRARIES].sort()).toEqual(['helpers', 'robotics', 'standard', 'types']);
  });

  it.each(LIBRARIES)('the code of osc.%s makes the tree the parser makes, located in its file', (name) => {
    const source = librarySource(name);
    const parsed = parse(source);
    const made = compiled(libraryTreeCode(parsed, source))(source);
    expect(made).toStrictEqual(parsed);
    const first = made.declarations[0] ?? made.imports[0];
    expect(first).toBeDefined();
    expect(first?.loc.file).toBe(source);
  });

  it('keeps a field that is undefined as a field (the shape the resolver sees)', () => {
    const source = librarySource('types');
    const parsed = parse(source);
    const made = compiled(libraryTreeCode(parsed, source))(source);
    const withUndefined = (ast: object): number => JSON.stringify(ast, (_k, v) => (v === undefined ? '∅' : v)).length;
    expect(withUndefined(made)).toBe(withUndefined(parsed));
  });

  it('writes keys that are not identifiers, and `__proto__` as a key, not a prototype', () => {
    const source = librarySource('standard');
    const tree = { 'a-b': 1, 'c,d': {}, '': [-0, Number.NaN, Number.POSITIVE_INFINITY, 'x\u2028y', true, null, 2n] };
    Object.defineProperty(tree, '__proto__', { value: { c: 2 }, enumerable: true, writable: true, configurable: true });
    const made = compiled(libraryTreeCode(tree as never, source))(source) as unknown;
    expect(made).toStrictEqual(tree);
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
  });

  it('writes a form nested as deep as allowed, and none deeper (it is parsed at run time)', () => {
    const source = librarySource('standard');
    const deepest = nested(MAX_CODE_DEPTH, source);
    const made = compiled(libraryTreeCode(deepest.tree as never, source))(source) as unknown;
    expect(made).toStrictEqual(deepest.tree);
    expect(libraryTreeCode(nested(MAX_CODE_DEPTH + 1, source).tree as never, source)).toBeUndefined();
  });

  it('writes no tree holding what code cannot make (another file, a class instance)', () => {
    const source = librarySource('standard');
    const other = librarySource('robotics');
    expect(libraryTreeCode({ loc: { file: other } } as never, source)).toBeUndefined();
    expect(libraryTreeCode({ names: new Map() } as never, source)).toBeUndefined();
  });

  it('hands out the tree of the text it was made from', () => {
    const table = prebuiltTable();
    const source = librarySource('helpers');
    const tree = prebuiltLibraryAst('helpers', source, table);
    expect(tree).toStrictEqual(parse(source));
  });

  it('parses again (returns undefined) when the library text changed since the build', () => {
    const table = prebuiltTable();
    const edited = librarySource('helpers', `${readFileSync(join(OSC_DIR, 'helpers.osc'), 'utf8')}\n# edited\n`);
    expect(prebuiltLibraryAst('helpers', edited, table)).toBeUndefined();
  });

  it('has nothing for an unknown name, nor a name of Object.prototype', () => {
    const table = prebuiltTable();
    expect(prebuiltLibraryAst('hello', librarySource('types'), table)).toBeUndefined();
    expect(prebuiltLibraryAst('toString', new SourceFile('osc.toString', ''), table)).toBeUndefined();
  });

  it('makes a new tree each time (nobody shares one)', () => {
    const table = prebuiltTable();
    const source = librarySource('robotics');
    const first = prebuiltLibraryAst('robotics', source, table);
    const second = prebuiltLibraryAst('robotics', source, table);
    expect(second).toStrictEqual(first);
    expect(second).not.toBe(first);
  });

  it('outside the bundle (compiled by tsc) has no prebuilt trees', () => {
    expect(prebuiltLibraryAst('types', librarySource('types'))).toBeUndefined();
  });
});
