/** The prebuilt syntax trees of the bundled OSC libraries (src/model/prebuilt-libraries.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../src/language/diagnostics.js';
import { parse } from '../src/language/parser.js';
import {
  type PrebuiltLibraries,
  prebuiltLibraryAst,
  reviveLibraryAst,
  serializeLibraryAst,
} from '../src/model/prebuilt-libraries.js';

const OSC_DIR = fileURLToPath(new URL('../osc/', import.meta.url));
const LIBRARIES = readdirSync(OSC_DIR)
  .filter((file) => file.endsWith('.osc'))
  .map((file) => basename(file, '.osc'));

function librarySource(name: string, text = readFileSync(join(OSC_DIR, `${name}.osc`), 'utf8')): SourceFile {
  return new SourceFile(`osc.${name}`, text);
}

/** The table the bundle step writes, as read back from its JSON file. */
function prebuiltTable(): PrebuiltLibraries {
  const table: PrebuiltLibraries = {};
  for (const name of LIBRARIES) {
    const source = librarySource(name);
    table[name] = { text: source.text, ast: serializeLibraryAst(parse(source)) };
  }
  return JSON.parse(JSON.stringify(table)) as PrebuiltLibraries;
}

describe('prebuilt OSC libraries', () => {
  it('finds the four bundled libraries', () => {
    expect([...LIBRARIES].sort()).toEqual(['helpers', 'robotics', 'standard', 'types']);
  });

  it.each(LIBRARIES)('osc.%s comes back from its JSON form as the parser makes it, located in its file', (name) => {
    const source = librarySource(name);
    const parsed = parse(source);
    const revived = reviveLibraryAst(JSON.parse(JSON.stringify(serializeLibraryAst(parsed))), source);
    expect(revived).toStrictEqual(parsed);
    const first = revived.declarations[0] ?? revived.imports[0];
    expect(first).toBeDefined();
    expect(first?.loc.file).toBe(source);
  });

  it('keeps a field that is undefined as a field (the shape the resolver sees)', () => {
    const source = librarySource('types');
    const parsed = parse(source);
    const revived = reviveLibraryAst(JSON.parse(JSON.stringify(serializeLibraryAst(parsed))), source);
    const withUndefined = (ast: object): number => JSON.stringify(ast, (_k, v) => (v === undefined ? '∅' : v)).length;
    expect(withUndefined(revived)).toBe(withUndefined(parsed));
  });

  it('revives a form nested deeper than the call stack allows recursion', () => {
    const source = librarySource('standard');
    let deepest: Record<string, unknown> = { kind: 'Leaf', loc: { file: 0, line: 1, column: 1 }, label: null };
    const leaf = deepest;
    for (let depth = 0; depth < 200_000; depth++) deepest = { kind: 'Node', child: [deepest], note: null };
    reviveLibraryAst(deepest, source);
    expect(leaf.label).toBeUndefined();
    expect('label' in leaf).toBe(true);
    expect((leaf.loc as { file: unknown }).file).toBe(source);
    expect(deepest.note).toBeUndefined();
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

  it('hands out each tree once (a second load of the name parses)', () => {
    const table = prebuiltTable();
    const source = librarySource('robotics');
    expect(prebuiltLibraryAst('robotics', source, table)).toBeDefined();
    expect(prebuiltLibraryAst('robotics', source, table)).toBeUndefined();
  });

  it('outside the bundle (compiled by tsc) has no prebuilt trees', () => {
    expect(prebuiltLibraryAst('types', librarySource('types'))).toBeUndefined();
  });
});
