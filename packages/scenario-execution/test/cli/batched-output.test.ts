import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, REPO_ROOT } from './build.js';

const MODULE = pathToFileURL(join(REPO_ROOT, 'packages/scenario-execution/dist/cli/batched-output.js')).href;

/** Run `body` (with writeStdout/writeStderr imported) with stderr sent into the stdout pipe: one ordered text. */
function interleaved(body: string): string {
  const script = `import { writeStdout, writeStderr } from ${JSON.stringify(MODULE)};\n${body}`;
  const result = spawnSync('sh', ['-c', `"${process.execPath}" --input-type=module -e "$SCRIPT" 2>&1`], {
    encoding: 'utf8',
    env: { ...process.env, SCRIPT: script },
    timeout: 30_000,
  });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('batched stdout', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('keeps stdout and stderr in the order they were written', () => {
    const text = interleaved(
      "writeStdout('a\\n'); writeStdout('b\\n'); writeStderr('c\\n'); writeStdout('d\\n'); process.stdout.write('e\\n');" +
        " setTimeout(() => { writeStdout('f\\n'); writeStderr('g\\n'); }, 5);",
    );
    expect(text).toBe('a\nb\nc\nd\ne\nf\ng\n');
  });

  it('writes what is still batched when the process exits at once', () => {
    const text = interleaved("for (let i = 0; i < 1000; i++) writeStdout('line ' + i + '\\n'); process.exit(0);");
    const lines = text.split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[999]).toBe('line 999');
  });
});
