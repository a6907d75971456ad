/** `-n`: one line on stderr says what was checked; stdout stays as the Python engine's (empty). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './build.js';
import { cleanUpRuns, runScenario } from './harness.js';

beforeAll(() => buildOnce());
afterAll(cleanUpRuns);

describe('dry run summary', () => {
  it('names the scenario and counts its actions (composites, waits and emits are not actions)', async () => {
    const run = await runScenario(
      [
        'import osc.helpers',
        '',
        'scenario drive:',
        '    event go',
        '    do serial:',
        '        log("a")',
        '        parallel:',
        '            log("b")',
        '            emit go',
        '        wait elapsed(1s)',
        '        log("c")',
        '',
      ].join('\n'),
      ['-n'],
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("checked scenario 'drive': 3 actions, not run (dry run)\n");
  });

  it('uses the singular for one action, and prints nothing more when loading fails', async () => {
    const one = await runScenario('import osc.helpers\n\nscenario one:\n    do log("x")\n', ['-n']);
    expect(one.stderr).toBe("checked scenario 'one': 1 action, not run (dry run)\n");
    const failing = await runScenario('import osc.helpers\n\nscenario bad:\n    do nothing_here()\n', ['-n']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).not.toContain('checked scenario');
  });
});
