import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OscError } from '../../src/language/diagnostics.js';
import { BUNDLED_LIBRARIES, evaluateToWire, loadScenario } from '../../src/model/index.js';
import { expectError, FIXTURES, load, MapStore } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

async function loadError(path: string, options = {}): Promise<OscError> {
  try {
    await loadScenario(path, options);
  } catch (e) {
    if (e instanceof OscError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('imports', () => {
  it('loads relative imports once each, relative to the importing file', async () => {
    const reads: string[] = [];
    const model = await loadScenario(join(FIXTURES, 'imports/main.osc'), {
      readFile: (p) => {
        reads.push(p);
        return readFileSync(p, 'utf8');
      },
    });
    const paths = model.files.map((f) => f.path.replace(`${FIXTURES}/`, ''));
    expect(paths).toEqual(['imports/main.osc', 'osc.types', 'osc.helpers', 'imports/lib/b.osc', 'imports/lib/a.osc']);
    // every file read once, although b.osc and osc.types are imported twice
    expect(new Set(reads).size).toBe(reads.length);
    const root = model.scenario.behaviour[0];
    const greet = root?.kind === 'composition' ? root.children[0] : undefined;
    if (greet?.kind !== 'action') throw new Error('expected greet');
    expect(evaluateToWire(greet.args[0]!.value, new MapStore())).toBe('from b');
  });

  it('reports an import cycle at the import that closes it', async () => {
    const error = await loadError(join(FIXTURES, 'cycle/a.osc'));
    expect(error.message).toMatch(/^import cycle: .*cycle\/a\.osc → .*cycle\/b\.osc → .*cycle\/a\.osc$/);
    expect(error.location?.file.path).toMatch(/cycle\/b\.osc$/);
    expect([error.location?.line, error.location?.column]).toEqual([2, 1]);
  });

  it('reports a missing file with a hint', async () => {
    const error = await expectError(
      lines('import "imports/lib/aa.osc"', 'scenario test'),
      /^imported file imports\/lib\/aa\.osc not found \(.*\); did you mean `a\.osc`\?$/,
      1,
      1,
    );
    expect(error.format()).toContain('import "imports/lib/aa.osc"');
  });

  it('reports errors inside an imported file at their place', async () => {
    const error = await loadError(join(FIXTURES, 'imports/main.osc'), {
      readFile: (p: string) =>
        p.endsWith('a.osc') ? 'action greet:\n    who: strng = "a"\n' : readFileSync(p, 'utf8'),
    });
    expect(error.message).toBe('unknown type `strng`; did you mean `string`?');
    expect(error.location?.file.path).toMatch(/imports\/lib\/a\.osc$/);
    expect([error.location?.line, error.location?.column]).toEqual([2, 10]);
  });

  it('reports a syntax error in an imported file', async () => {
    const error = await expectError(lines('import "imports/lib/broken.osc"', 'scenario test'), /.+/, 2, 14);
    expect(error.location?.file.path).toMatch(/broken\.osc$/);
  });

  it('reports an unknown library with a hint', async () => {
    await expectError(
      lines('import osc.helper', 'scenario test'),
      'no import library `osc.helper` found; did you mean `osc.helpers`?',
      1,
      1,
    );
  });

  it('reports an import that is not osc.<name>', async () => {
    await expectError(
      lines('import foo.bar', 'scenario test'),
      'import reference can only be of format osc.<library-name>, found `foo.bar`',
      1,
      1,
    );
  });

  it('asks the library resolver for plugin libraries (bundled ones first)', async () => {
    const asked: string[] = [];
    const model = await load(
      lines(
        'import osc.helpers',
        'import osc.slow',
        'scenario test:',
        '    do serial:',
        '        log("a") with:',
        '            slow_down(3.0)',
      ),
      {
        libraryResolver: (name) => {
          asked.push(name);
          return name === 'slow' ? join(FIXTURES, 'plugin_lib.osc') : undefined;
        },
      },
    );
    expect(asked).toEqual(['slow']);
    expect(model.files.map((f) => f.path)).toContain('osc.slow');
    expect(model.declarations.modifiers.get('slow_down')?.parameters.map((p) => p.name)).toEqual(['ratio']);
  });

  it('suggests plugin library names', async () => {
    await expectError(
      lines('import osc.remot', 'scenario test'),
      'no import library `osc.remot` found; did you mean `osc.remote`?',
      1,
      1,
      {
        libraryNames: () => ['remote'],
      },
    );
  });

  it('loads every bundled library', async () => {
    for (const name of BUNDLED_LIBRARIES) {
      const model = await load(lines(`import osc.${name}`, 'scenario test'));
      expect(model.files.map((f) => f.path)).toContain(`osc.${name}`);
    }
  });

  it('reports a scenario file that cannot be read', async () => {
    const error = await loadError(join(FIXTURES, 'does_not_exist.osc'));
    expect(error.message).toMatch(/^cannot read scenario file .*does_not_exist\.osc: no such file$/);
  });
});

describe('performance', () => {
  it('loads a generated 2,400-line scenario well under 0.25 s', async () => {
    let text = 'import osc.helpers\n\nscenario perf:\n    var counter: int = 0\n    do serial:\n';
    for (let i = 0; i < 400; i++) {
      text += [
        `        block${i}: serial:`,
        `            log("a${i}")`,
        `            log("b${i}")`,
        '            increment(counter)',
        '            parallel:',
        '                log("c")',
        '                log("d")',
        '',
      ].join('\n');
    }
    expect(text.split('\n').length).toBeGreaterThan(2400);
    const model = await load(text);
    const root = model.scenario.behaviour[0];
    expect(root?.kind === 'composition' && root.children.length).toBe(400);
  });
});
