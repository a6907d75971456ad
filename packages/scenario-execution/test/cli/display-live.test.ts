/**
 * The live tree (`-t`) on a terminal: redrawn in place with cursor movement,
 * each node coloured by its status, log lines above it; piped, the engine's
 * text as before. A fake terminal records what is written; a real one comes
 * from util-linux `script`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Behaviour } from '../../src/runtime/behaviour.js';
import { Sequence } from '../../src/runtime/composites.js';
import { LiveTreeDisplay } from '../../src/runtime/display.js';
import { F, R, S, ScriptedLeaf } from '../runtime/helpers.js';
import { buildOnce, CLI_BIN } from './build.js';
import { cleanUpRuns, tempDir, writeFiles } from './harness.js';

beforeAll(() => buildOnce());
afterAll(cleanUpRuns);

const BLUE = '\x1b[34m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const SGR = /\x1b\[[0-9;]*m/g;

class FakeTerminal {
  readonly writes: string[] = [];
  constructor(
    readonly columns?: number,
    readonly rows?: number,
  ) {}
  write(text: string): void {
    this.writes.push(text);
  }
}

/** A leaf that reports an endpoint, as a remote action does. */
class EndpointLeaf extends ScriptedLeaf {
  override statusDetail(): string {
    return 'ipc:///tmp/x.sock: running';
  }
}

function tick(root: Behaviour, serial: number): void {
  root.tickSerial = serial;
  root.tick();
}

function tree(): Sequence {
  return new Sequence('scenario', [
    new ScriptedLeaf('first', [S]),
    new EndpointLeaf('second', [R, F]),
    new ScriptedLeaf('third', [S]),
  ]);
}

describe('LiveTreeDisplay', () => {
  it('draws the tree coloured by status under a header, then redraws it over the old drawing', () => {
    const root = tree();
    const terminal = new FakeTerminal();
    let now = 1000;
    const display = new LiveTreeDisplay(root, terminal, { colours: true, now: () => now });
    tick(root, 1);
    now = 1100;
    display.update(1);
    const [first] = terminal.writes;
    expect(first).toBe(
      [
        '\x1b[1mscenario \u2014 tick 1, 0.1 s\x1b[0m',
        `${BLUE}{-} scenario [*]${RESET}`,
        `${GREEN}    --> first [\u2713]${RESET}`,
        `${BLUE}    --> second [*]  (ipc:///tmp/x.sock: running)${RESET}`,
        `${DIM}    --> third${RESET}`,
        '',
      ].join('\n'),
    );
    tick(root, 2);
    now = 2600;
    display.update(2);
    const second = terminal.writes[1] as string;
    // Up 5 lines (the first drawing) to the start of the line, erase to the end of the screen.
    expect(second.startsWith('\x1b[5F\x1b[0J')).toBe(true);
    const lines = second.slice('\x1b[5F\x1b[0J'.length).split('\n');
    expect(lines[0]).toBe('\x1b[1mscenario \u2014 tick 2, 1.6 s\x1b[0m');
    expect(lines[1]).toBe(`${RED}{-} scenario [\u2715]${RESET}`);
    expect(lines[3]).toBe(`${RED}    --> second [\u2715]  (ipc:///tmp/x.sock: running)${RESET}`);
  });

  it('writes log lines above the tree, one redraw for the lines of one turn; after finish, plain writes', async () => {
    const root = tree();
    const terminal = new FakeTerminal();
    const display = new LiveTreeDisplay(root, terminal, { colours: false, now: () => 0 });
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    display.printAbove('before the first tick\n');
    expect(terminal.writes).toEqual(['before the first tick\n']);
    tick(root, 1);
    display.update(1);
    const frame = terminal.writes[1] as string;
    expect(frame).not.toMatch(SGR);
    expect(frame.split('\n')).toHaveLength(6);
    // Two lines in one turn: the drawing is erased once, and drawn again once, below them.
    display.printAbove('[scenario_execution] [INFO] hello\n');
    display.printAbove('[scenario_execution] [INFO] again\n');
    expect(terminal.writes.slice(2)).toEqual([
      '\x1b[5F\x1b[0J[scenario_execution] [INFO] hello\n',
      '[scenario_execution] [INFO] again\n',
    ]);
    await nextTurn();
    expect(terminal.writes.slice(4)).toEqual([frame]);
    // The next tick's drawing replaces it in place.
    display.update(1);
    expect(terminal.writes[5]).toBe(`\x1b[5F\x1b[0J${frame}`);
    // A line just before the end: finish puts the last drawing back at once, and it stays.
    display.printAbove('last\n');
    display.finish();
    expect(terminal.writes.slice(6)).toEqual(['\x1b[5F\x1b[0Jlast\n', frame]);
    await nextTurn();
    display.printAbove('after\n');
    expect(terminal.writes.slice(8)).toEqual(['after\n']);
  });

  it('cuts lines to the terminal width and drops nodes that do not fit its height', () => {
    const leaves = Array.from({ length: 30 }, (_, i) => new ScriptedLeaf(`leaf number ${i} with a long name`, [R]));
    const root = new Sequence('wide', leaves);
    const terminal = new FakeTerminal(20, 10);
    const display = new LiveTreeDisplay(root, terminal, { colours: true, now: () => 0 });
    tick(root, 1);
    display.update(1);
    display.update(2);
    const lines = (terminal.writes[0] as string).split('\n').slice(0, -1);
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(line.replace(SGR, '').length).toBeLessThanOrEqual(19);
    expect(lines.at(-1)).toBe('... 24 more nodes');
    // The redraw goes up exactly as many lines as were drawn.
    expect((terminal.writes[1] as string).startsWith('\x1b[9F\x1b[0J')).toBe(true);
  });
});

const SLOW = `import osc.helpers

scenario slow:
    do serial:
        log("start")
        wait elapsed(0.3s)
        log("end")
`;

async function runLive(stdoutStream: { isTTY?: boolean; columns?: number; rows?: number } | undefined) {
  const dir = tempDir();
  writeFiles(dir, { 'slow.osc': SLOW });
  let stdout = '';
  const code = await main(['-t', '-s', '0.05', join(dir, 'slow.osc')], {
    io: { stdout: (t) => (stdout += t), stderr: () => {}, stdoutStream, env: {} },
    handleSignals: false,
  });
  return { code, stdout };
}

describe('scenario_execution -t', () => {
  it('on a terminal: one drawing, then redraws in place; log lines above; no blackboard blocks', async () => {
    const run = await runLive({ isTTY: true, columns: 120, rows: 40 });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Blackboard Data');
    // header + 5 nodes: every redraw goes up 6 lines.
    const redraws = run.stdout.split('\x1b[6F\x1b[0J').length - 1;
    expect(redraws).toBeGreaterThan(2);
    expect(run.stdout).not.toMatch(/\x1b\[(?!6F)\d+F/);
    // The end log line is written over the drawing, and the drawing follows it.
    expect(run.stdout).toMatch(/\x1b\[6F\x1b\[0J\[scenario_execution\] \[INFO\] end\n\x1b\[1mslow/);
    const afterLastDrawing = run.stdout.slice(run.stdout.lastIndexOf('\x1b[1mslow'));
    expect(afterLastDrawing.split('\n').slice(1, 6)).toEqual([
      `${GREEN}{-} slow [\u2713]${RESET}`,
      `${GREEN}    {-} serial [\u2713]${RESET}`,
      `${GREEN}        --> log [\u2713]${RESET}`,
      `${GREEN}        --> wait 0.3s [\u2713] -- timer ran out [0.3]${RESET}`,
      `${GREEN}        --> log [\u2713]${RESET}`,
    ]);
    expect(run.stdout.endsWith("[scenario_execution] [INFO] Scenario 'slow' succeeded.\n")).toBe(true);
  });

  it("piped: the engine's text, the tree and the blackboard after every tick, no escape codes", async () => {
    const run = await runLive(undefined);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toContain(
      '\n{-} slow [*]\n    {-} serial [*]\n        --> log [\u2713]\n        --> wait 0.3s [*] -- ',
    );
    expect(run.stdout).toContain('Blackboard Data\n');
  });

  it('on a real pseudo-terminal (script): coloured, redrawn in place', () => {
    const dir = tempDir();
    writeFiles(dir, { 'slow.osc': SLOW });
    const command = [process.execPath, CLI_BIN, '-t', '-s', '0.05', join(dir, 'slow.osc')]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env });
    expect(result.status).toBe(0);
    const out = result.stdout.replaceAll('\r\n', '\n');
    expect(out).toContain('\x1b[6F\x1b[0J');
    expect(out).toContain(`${GREEN}        --> wait 0.3s [\u2713] -- timer ran out [0.3]${RESET}`);
    expect(out).not.toContain('Blackboard Data');
    expect(out).toContain("[scenario_execution] [INFO] Scenario 'slow' succeeded.\n");
  });
});

describe('statusDetail', () => {
  it('is undefined for ordinary nodes', () => {
    expect(new ScriptedLeaf('x', [S]).statusDetail()).toBeUndefined();
  });
});
