/** What the command says about files it cannot use: one plain line, exit 1, no bytes of the file echoed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './build.js';
import { cleanUpRuns, runScenario, tempDir } from './harness.js';

const SIMPLE = 'import osc.helpers\n\nscenario test:\n    do log("hello")\n';

beforeAll(() => buildOnce());
afterAll(cleanUpRuns);

/** Bytes as an executable starts: magic, then NULs. */
const ELF_START = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]);

describe('files that are not text', () => {
  it('rejects a binary scenario file at once, without echoing it', async () => {
    const dir = tempDir();
    const file = join(dir, 'tool.osc');
    writeFileSync(file, Buffer.concat([ELF_START, Buffer.from('scenario x:\n')]));
    const run = await runScenario(undefined, [file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${file}: error: not a text file (it holds a NUL byte at offset 7)\n`);
    expect(run.stdout).toBe('');
  });

  it('rejects a scenario file that is not UTF-8', async () => {
    const dir = tempDir();
    const file = join(dir, 'latin1.osc');
    writeFileSync(file, Buffer.from('scenario t:\n    do log("caf\xe9")\n', 'latin1'));
    const run = await runScenario(undefined, [file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${file}: error: not a text file (it is not valid UTF-8)\n`);
  });

  it('names the import that is not text at the import', async () => {
    const run = await runScenario('import "lib.osc"\nscenario test:\n    do log("x")\n', [], {
      files: { 'lib.osc': 'a\u0000b' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /test\.osc:1:1: error: cannot read imported file .*lib\.osc: not a text file \(it holds a NUL byte at offset 1\)\n/,
    );
  });
});

describe('scenario parameter files', () => {
  it('says a folder is a folder (no EISDIR text)', async () => {
    const params = join(tempDir(), 'params');
    mkdirSync(params);
    const run = await runScenario(SIMPLE, ['--scenario-parameter-file', params]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot read scenario parameter file '${params}': is a folder, not a file\n`);
  });

  it('rejects a binary parameter file as not text', async () => {
    const dir = tempDir();
    const params = join(dir, 'params.yaml');
    writeFileSync(params, ELF_START);
    const run = await runScenario(SIMPLE, ['--scenario-parameter-file', params]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${params}: error: not a text file (it holds a NUL byte at offset 7)\n`);
  });
});
