/**
 * Colours only where a terminal is the target: the rule (FORCE_COLOR,
 * NO_COLOR, TTY, TERM=dumb), the engine's logger and CLI, and the server's
 * log, in-process and as real processes (piped, and on a pseudo-terminal made
 * by util-linux `script`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { colourEnabled } from '../../src/runtime/colour.js';
import { Logger } from '../../src/runtime/logger.js';
import { buildOnce, CLI_BIN, REPO_ROOT } from './build.js';
import { cleanUpRuns, tempDir, writeFiles } from './harness.js';

const ESC = '\x1b[';
const FAILING = 'import osc.helpers\n\nscenario bad:\n    do run_process("false")\n';

beforeAll(() => buildOnce({ withServer: true }));
afterAll(cleanUpRuns);

describe('the colour rule', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal and nothing else', () => {
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('NO_COLOR (non-empty) turns colours off, an empty NO_COLOR does not', () => {
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: 'anything' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR turns colours on, also over NO_COLOR; 0 and false turn them off', () => {
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

describe('the engine logger', () => {
  it('colours warnings and errors only when asked to', () => {
    const lines: string[] = [];
    const plain = new Logger('scenario_execution', { sink: (l) => lines.push(l), colour: false });
    plain.warn('w');
    plain.error('e');
    plain.withName('other').error('e2');
    expect(lines).toEqual(['[scenario_execution] [WARN] w', '[scenario_execution] [ERROR] e', '[other] [ERROR] e2']);
    lines.length = 0;
    const coloured = new Logger('scenario_execution', { sink: (l) => lines.push(l), colour: true });
    coloured.info('i');
    coloured.warn('w');
    coloured.withName('other').error('e');
    expect(lines).toEqual([
      '[scenario_execution] [INFO] i',
      '\x1b[33m[scenario_execution] [WARN] w\x1b[0m',
      '\x1b[31m[other] [ERROR] e\x1b[0m',
    ]);
  });
});

/** Run the CLI in-process on a failing scenario with the given stdout stream and environment. */
async function runFailing(stdoutStream: { isTTY?: boolean } | undefined, env: Record<string, string>) {
  const dir = tempDir();
  writeFiles(dir, { 'bad.osc': FAILING });
  let stdout = '';
  const code = await main(['-s', '0.01', join(dir, 'bad.osc')], {
    io: { stdout: (t) => (stdout += t), stderr: () => {}, stdoutStream, env },
    handleSignals: false,
  });
  return { code, stdout };
}

describe('scenario_execution in-process', () => {
  it('writes no colour codes when stdout is not a terminal', async () => {
    const run = await runFailing({ isTTY: false }, {});
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[scenario_execution] [ERROR] bad: execution failed. ');
    expect(run.stdout).not.toContain(ESC);
  });

  it('colours the error line on a terminal, unless NO_COLOR; FORCE_COLOR colours a pipe', async () => {
    const terminal = await runFailing({ isTTY: true }, {});
    expect(terminal.stdout).toContain('\x1b[31m[scenario_execution] [ERROR] bad: execution failed. ');
    const noColour = await runFailing({ isTTY: true }, { NO_COLOR: '1' });
    expect(noColour.stdout).toContain('[scenario_execution] [ERROR] bad: execution failed. ');
    expect(noColour.stdout).not.toContain(ESC);
    const forced = await runFailing({ isTTY: false }, { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\x1b[31m[scenario_execution] [ERROR] bad: execution failed. ');
  });
});

/** `command` on a pseudo-terminal (util-linux `script`), with `env` added; returns what the terminal got. */
function onTerminal(command: string, env: Record<string, string> = {}): string {
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...withoutColourVariables(), TERM: 'xterm', ...env },
  });
  if (result.error !== undefined) throw result.error;
  return result.stdout;
}

function withoutColourVariables(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

describe('as real processes', () => {
  it('scenario_execution: plain when piped, coloured on a pseudo-terminal, plain there with NO_COLOR=1', () => {
    const dir = tempDir();
    writeFiles(dir, { 'bad.osc': FAILING });
    const args = [process.execPath, CLI_BIN, '-s', '0.01', join(dir, 'bad.osc')];
    const piped = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8', env: withoutColourVariables() });
    expect(piped.stdout).toContain('[scenario_execution] [ERROR] bad: execution failed. ');
    expect(piped.stdout).not.toContain(ESC);

    const command = args.map(shellQuote).join(' ');
    const terminal = onTerminal(command);
    expect(terminal).toContain('\x1b[31m[scenario_execution] [ERROR] bad: execution failed. ');
    const noColour = onTerminal(command, { NO_COLOR: '1' });
    expect(noColour).toContain('[scenario_execution] [ERROR] bad: execution failed. ');
    expect(noColour).not.toContain(ESC);
  });

  it("the server's log: plain when piped, coloured on a pseudo-terminal, plain there with NO_COLOR=1", () => {
    const logModule = join(REPO_ROOT, 'packages', 'server', 'dist', 'log.js');
    const script = `import { ServerLog } from ${JSON.stringify(logModule)}; const log = new ServerLog('srv'); log.info('hello'); log.error('broken');`;
    const args = [process.execPath, '--input-type=module', '-e', script];
    const piped = spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8', env: withoutColourVariables() });
    expect(piped.stdout).toMatch(/\[ERROR\] srv: broken\n/);
    expect(piped.stdout).not.toContain(ESC);

    const command = args.map(shellQuote).join(' ');
    const terminal = onTerminal(command);
    expect(terminal).toMatch(/\x1b\[31m\d{4}-\d\d-\d\d [\d:,]+ \[ERROR\] srv: broken\x1b\[0m/);
    expect(terminal).toMatch(/\n?\d{4}-\d\d-\d\d [\d:,]+ \[INFO\] srv: hello\r?\n/);
    expect(terminal).not.toMatch(/\x1b\[\d+m[^\n]*\[INFO\]/);
    const noColour = onTerminal(command, { NO_COLOR: '1' });
    expect(noColour).toContain('[ERROR] srv: broken');
    expect(noColour).not.toContain(ESC);
  });
});
