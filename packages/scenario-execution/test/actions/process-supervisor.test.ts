/**
 * run_process through the process supervisor, in this process: where the
 * processes run, the event loop while many start, the relayed output, the
 * arguments and the environment, and what happens when the supervisor itself
 * is killed. Every test runs with each implementation: the native supervisor
 * (wherever the build made it) and the Node one.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionBehaviour } from '../../src/actions/action-behaviour.js';
import type { ArgValue } from '../../src/actions/api.js';
import {
  MAX_LINE_BYTES,
  nativeSupervisorBuilt,
  type ProcessListener,
  ProcessSupervisor,
  processSupervisor,
  useProcessSupervisor,
} from '../../src/actions/process-supervisor/client.js';
import { type RunProcessAction, runProcessAction } from '../../src/actions/run-process.js';
import { Status } from '../../src/runtime/status.js';
import { harness, setupContext } from './helpers.js';
import {
  cCompilerFound,
  isAlive,
  killAll,
  pause,
  type ProcessInfo,
  processInfo,
  SUPERVISOR_IMPLEMENTATIONS,
  supervisorKind,
  within,
} from './process-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'se-supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Hex of the UTF-8 bytes of each argument, one line each (what the process got). */
const HEX_OF_ARGS = 'for a in "$@"; do printf "%s" "$a" | od -An -tx1 | tr -d " \\n"; echo; done';
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

function start(args: Record<string, ArgValue>) {
  const h = harness();
  const node = h.action('run_process', runProcessAction, args);
  node.setup(setupContext);
  return { h, node, action: node.action as RunProcessAction };
}

async function runToEnd(node: ActionBehaviour, limit = 1000): Promise<Status> {
  for (let i = 0; i < limit; i++) {
    const status = await node.tick();
    if (status !== Status.RUNNING) return status;
    await pause(10);
  }
  throw new Error('action did not finish');
}

/** Output lines of a `sh -c` script, as logged (`INFO …` / `ERROR …`). */
async function outputOf(script: string): Promise<string[]> {
  const { node, h } = start({ command: ['sh', '-c', script] });
  expect(await runToEnd(node)).toBe(Status.SUCCESS);
  await node.shutdown();
  return h.messages();
}

describe('the native supervisor', () => {
  it('is built wherever a C compiler is, so its tests below run there', () => {
    expect(nativeSupervisorBuilt()).toBe(cCompilerFound());
    expect(SUPERVISOR_IMPLEMENTATIONS.includes('native')).toBe(cCompilerFound());
  });
});

for (const implementation of SUPERVISOR_IMPLEMENTATIONS) {
  describe(`run_process through the process supervisor (${implementation})`, () => {
    beforeAll(() => useProcessSupervisor(new ProcessSupervisor(undefined, undefined, implementation)));

    it('runs the chosen supervisor', async () => {
      await processSupervisor().whenReady();
      expect(processSupervisor().implementation).toBe(implementation);
      expect(supervisorKind(processInfo(processSupervisor().pid as number))).toBe(implementation);
    });

    it('starts the process in the supervisor, which runs in a session of its own', async () => {
      const { node, action } = start({ command: 'sleep 30', wait_for_shutdown: false });
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      const pid = action.pid as number;
      const supervisor = processSupervisor().pid as number;
      expect(supervisor).toBeGreaterThan(0);
      expect(supervisor).not.toBe(process.pid);
      // Its parent is the supervisor (started with setpriv or not, the pid is the program's).
      expect(processInfo(pid)?.ppid).toBe(supervisor);
      expect(processInfo(pid)?.pgid).toBe(pid);
      expect(processInfo(supervisor)?.ppid).toBe(process.pid);
      expect(processInfo(supervisor)?.pgid).toBe(supervisor);
      // Through setpriv (when used) the program replaces it a moment after it started.
      expect(await within(5000, () => processInfo(pid)?.args === 'sleep 30')).toBeDefined();
      await node.shutdown();
      expect(isAlive(pid)).toBe(false);
    });

    it('starts each process in a session and process group of its own, without a terminal', async () => {
      const started = [
        start({ command: 'sleep 30', wait_for_shutdown: false }),
        start({ command: 'sleep 31', wait_for_shutdown: false }),
      ];
      expect(await Promise.all(started.map(({ node }) => runToEnd(node)))).toEqual([Status.SUCCESS, Status.SUCCESS]);
      const [first, second] = started.map(({ action }) => processInfo(action.pid as number) as ProcessInfo);
      try {
        // As Python's run_process (start_new_session). One session for all would spare the host
        // CPU in a burst of starts, but starved the supervisor (see native/se-spawner.c).
        for (const child of [first, second]) {
          expect([child.pgid, child.sid, child.ttyNr]).toEqual([child.pid, child.pid, 0]);
        }
      } finally {
        await Promise.all(started.map(({ node }) => node.shutdown()));
      }
      expect([first, second].filter((child) => isAlive(child.pid))).toEqual([]);
    });

    it('knows from the supervisor whether a finished process left its group empty', async () => {
      const alone = start({ command: 'true' });
      expect(await runToEnd(alone.node)).toBe(Status.SUCCESS);
      const alonePid = alone.action.pid as number;
      expect(await within(5000, () => !processSupervisor().mayHaveMembers(alonePid))).toBeDefined();
      // A background child keeps the group alive after the process itself ended.
      const lingering = start({ command: ['sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo started'] });
      expect(await runToEnd(lingering.node)).toBe(Status.SUCCESS);
      const lingeringPid = lingering.action.pid as number;
      try {
        expect(processSupervisor().mayHaveMembers(lingeringPid)).toBe(true);
      } finally {
        await lingering.node.shutdown();
      }
      // Shut down: its group was killed and forgotten.
      expect(processSupervisor().mayHaveMembers(lingeringPid)).toBe(false);
      await alone.node.shutdown();
    });

    it('starts 150 processes at once, every one in the supervisor', async () => {
      const actions = Array.from({ length: 150 }, () => start({ command: 'sleep 30', wait_for_shutdown: false }));
      const statuses = await Promise.all(actions.map(({ node }) => runToEnd(node)));
      expect(statuses.every((status) => status === Status.SUCCESS)).toBe(true);
      const pids = actions.map(({ action }) => action.pid as number);
      try {
        expect(new Set(pids).size).toBe(150);
        const supervisor = processSupervisor().pid;
        // Not started by this process: the fork/exec work (1.5-4 s for 150 here) is off its event loop.
        expect(pids.every((pid) => processInfo(pid)?.ppid === supervisor)).toBe(true);
        await Promise.all(actions.map(({ node }) => node.shutdown()));
        expect(pids.filter(isAlive)).toEqual([]);
      } finally {
        killAll([], pids);
      }
    });

    it('reports RUNNING while a start waits behind a busy supervisor, then the outcome', async () => {
      const warm = start({ command: 'true' });
      expect(await runToEnd(warm.node)).toBe(Status.SUCCESS);
      const supervisor = processSupervisor().pid as number;
      const { node } = start({ command: 'true' });
      const missing = start({ command: 'no-such-program-here' });
      // A stopped supervisor answers nothing: the starts cannot finish.
      process.kill(supervisor, 'SIGSTOP');
      let first: Status[];
      try {
        first = await Promise.all([node.tick(), missing.node.tick()]);
        expect(await node.tick()).toBe(Status.RUNNING);
      } finally {
        process.kill(supervisor, 'SIGCONT');
      }
      expect(first).toEqual([Status.RUNNING, Status.RUNNING]);
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      expect(await runToEnd(missing.node)).toBe(Status.FAILURE);
      expect(missing.h.messages()).toContain("ERROR [Errno 2] No such file or directory: 'no-such-program-here'");
    });

    it('relays lines split at \\n, \\r\\n and \\r, stripped, and a last line without a line break', async () => {
      expect(await outputOf("printf ' one \\r\\ntwo\\rthree\\n\\nfour'; printf 'err\\n' >&2")).toEqual(
        expect.arrayContaining(['INFO one', 'INFO two', 'INFO three', 'INFO ', 'INFO four', 'ERROR err']),
      );
      const out = (await outputOf("printf ' one \\r\\ntwo\\rthree\\n\\nfour'")).filter((line) =>
        line.startsWith('INFO'),
      );
      expect(out).toEqual(['INFO one', 'INFO two', 'INFO three', 'INFO ', 'INFO four']);
    });

    it('relays many lines in order', async () => {
      const { node, h, action } = start({ command: 'seq 1 20000' });
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      expect(action.output.length).toBe(20000);
      expect(action.output.every((line, i) => line === String(i + 1))).toBe(true);
      expect(h.messages()[19999]).toBe('INFO 20000');
      await node.shutdown();
    });

    it('caps a very long line, saying how many bytes were dropped, and goes on with the next line', async () => {
      const messages = await outputOf("head -c 200000 /dev/zero | tr '\\0' a; echo; echo next");
      expect(messages).toEqual([
        `INFO ${'a'.repeat(MAX_LINE_BYTES)} [... ${200000 - MAX_LINE_BYTES} more bytes of this line dropped]`,
        'INFO next',
      ]);
    });

    it('cuts a long line at a character boundary', async () => {
      // 30,000 three-byte characters: 65,535 bytes (21,845 characters) fit in the cap.
      const file = join(dir, 'euros.txt');
      writeFileSync(file, `${'€'.repeat(30000)}\n`);
      const { node, action } = start({ command: `cat ${file}` });
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      const kept = Math.floor(MAX_LINE_BYTES / 3);
      expect(action.output).toEqual([`${'€'.repeat(kept)} [... ${90000 - kept * 3} more bytes of this line dropped]`]);
      await node.shutdown();
    });

    it('passes the current environment and working directory to each process', async () => {
      process.env.SE_SUPERVISOR_TEST = 'first';
      try {
        expect(await outputOf('echo "$SE_SUPERVISOR_TEST"; pwd')).toEqual(['INFO first', `INFO ${process.cwd()}`]);
        process.env.SE_SUPERVISOR_TEST = 'second';
        expect(await outputOf('echo "$SE_SUPERVISOR_TEST"')).toEqual(['INFO second']);
        delete process.env.SE_SUPERVISOR_TEST;
        expect(await outputOf('echo "[$SE_SUPERVISOR_TEST]"')).toEqual(['INFO []']);
      } finally {
        delete process.env.SE_SUPERVISOR_TEST;
      }
    });

    it('fails with the OS error texts for a file that is not executable and for a missing path', async () => {
      const file = join(dir, 'not-executable.sh');
      writeFileSync(file, '#!/bin/sh\necho hi\n');
      chmodSync(file, 0o644);
      const denied = start({ command: file });
      expect(await denied.node.tick()).toBe(Status.FAILURE);
      expect(denied.h.messages()).toEqual([`ERROR [Errno 13] Permission denied: '${file}'`]);
      const missing = start({ command: join(dir, 'missing') });
      expect(await missing.node.tick()).toBe(Status.FAILURE);
      expect(missing.h.messages()).toEqual([`ERROR [Errno 2] No such file or directory: '${join(dir, 'missing')}'`]);
    });

    it('a shutdown while the process is being started stops it once it runs', async () => {
      const { node, h, action } = start({ command: 'sleep 30' });
      const ticking = node.tick();
      expect(action.pid).toBeUndefined();
      await node.shutdown();
      expect(await ticking).toBe(Status.RUNNING);
      const pid = action.pid as number;
      try {
        expect(pid).toBeGreaterThan(0);
        expect(isAlive(pid)).toBe(false);
        expect(h.messages()).toContain('INFO Sending SIGTERM to process...');
      } finally {
        killAll([pid], [pid]);
      }
    });

    it('an invocation interrupted while its process is being started stops the process once it runs', async () => {
      const { node, action } = start({ command: 'sleep 30' });
      const ticking = node.tick();
      await node.stop(Status.INVALID);
      expect(await ticking).toBe(Status.FAILURE);
      const pid = action.pid as number;
      try {
        expect(pid).toBeGreaterThan(0);
        expect(await within(5000, () => !isAlive(pid))).toBeDefined();
        await node.shutdown();
      } finally {
        killAll([pid], [pid]);
      }
    });

    it('passes arguments verbatim: tabs, backslashes, line breaks, non-ASCII, empty', async () => {
      const args = ['a\tb', 'c\\d\\', 'e\nf', 'g\rh', '€ü', '', ' x '];
      const { node, action } = start({ command: ['sh', '-c', HEX_OF_ARGS, 'sh', ...args] });
      expect(await runToEnd(node)).toBe(Status.SUCCESS);
      expect(action.output).toEqual(args.map(hex));
      await node.shutdown();
    });

    it('passes environment values verbatim', async () => {
      const value = 'x\ty\\z\nw\r€=v';
      process.env.SE_SUPERVISOR_TEST = value;
      try {
        const { node, action } = start({
          command: ['sh', '-c', 'printf "%s" "$SE_SUPERVISOR_TEST" | od -An -tx1 | tr -d " \\n"'],
        });
        expect(await runToEnd(node)).toBe(Status.SUCCESS);
        expect(action.output).toEqual([hex(value)]);
        await node.shutdown();
      } finally {
        delete process.env.SE_SUPERVISOR_TEST;
      }
    });

    it('relays tabs and backslashes in output, and invalid UTF-8 as U+FFFD', async () => {
      expect(await outputOf(String.raw`printf 'a\tb\\c\n\377\376 ok\n\342\202'`)).toEqual([
        'INFO a\tb\\c',
        'INFO \ufffd\ufffd ok',
        'INFO \ufffd',
      ]);
    });

    it('looks the program up in the PATH of the environment it passes; runs a file without #! by sh', async () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'se-test-tool'), 'echo "tool $1"\n');
      chmodSync(join(bin, 'se-test-tool'), 0o755);
      const path = process.env.PATH;
      process.env.PATH = `${bin}:${path}`;
      try {
        const { node, h } = start({ command: 'se-test-tool one' });
        expect(await runToEnd(node)).toBe(Status.SUCCESS);
        expect(h.messages()).toEqual(['INFO tool one']);
        await node.shutdown();
      } finally {
        process.env.PATH = path;
      }
      const missing = start({ command: 'se-test-tool' });
      expect(await runToEnd(missing.node)).toBe(Status.FAILURE);
      expect(missing.h.messages()).toEqual(["ERROR [Errno 2] No such file or directory: 'se-test-tool'"]);
    });

    it('reports the signal that killed a process', async () => {
      const { node } = start({ command: ['sh', '-c', 'kill -TERM $$'] });
      expect(await runToEnd(node)).toBe(Status.FAILURE);
      expect(node.feedbackMessage).toBe("Execution of '['sh', '-c', 'kill -TERM $$']' failed with -15");
      await node.shutdown();
    });

    it('an argument with a NUL character cannot start', async () => {
      const { node, h } = start({ command: ['echo', 'a\0b'] });
      expect(await runToEnd(node)).toBe(Status.FAILURE);
      expect(h.messages()).toEqual(['ERROR The arguments of a process must be strings without null bytes']);
    });

    it('starts processes in its own working directory when the host has none (removed)', async () => {
      // The supervisor runs (it was started in this directory).
      await processSupervisor().whenReady();
      const own = process.cwd();
      const gone = join(dir, 'gone');
      mkdirSync(gone);
      process.chdir(gone);
      rmSync(gone, { recursive: true });
      try {
        expect(await outputOf('pwd')).toEqual([`INFO ${own}`]);
      } finally {
        process.chdir(own);
      }
    });

    it('if the supervisor is SIGKILLed, its processes are killed and fail; the next run_process starts a new one', async () => {
      const { node, h, action } = start({ command: 'sleep 30' });
      expect(await node.tick()).toBe(Status.RUNNING);
      const pid = action.pid as number;
      const supervisor = processSupervisor().pid as number;
      try {
        process.kill(supervisor, 'SIGKILL');
        expect(await runToEnd(node)).toBe(Status.FAILURE);
        expect(node.feedbackMessage).toBe("Execution of '['sleep', '30']' failed with -9");
        expect(h.messages()).toContain('ERROR run_process: the process supervisor ended unexpectedly (SIGKILL)');
        expect(await within(5000, () => !isAlive(pid))).toBeDefined();
        await node.shutdown();

        const next = start({ command: 'echo again' });
        expect(await runToEnd(next.node)).toBe(Status.SUCCESS);
        expect(next.h.messages()).toEqual(['INFO again']);
        expect(processSupervisor().pid).not.toBe(supervisor);
        await next.node.shutdown();
      } finally {
        killAll([pid], [pid]);
      }
    });
  });

  describe(`an idle supervisor (${implementation})`, () => {
    /** A listener that records the exit and the end of the output. */
    function listener() {
      const state = { exited: false, closed: false, lines: [] as string[] };
      const listen: ProcessListener = {
        line: (_fd, line) => state.lines.push(line),
        exit: () => {
          state.exited = true;
        },
        closed: () => {
          state.closed = true;
        },
        lost: () => {},
      };
      return { state, listen };
    }

    it('is ready when whenReady resolves (run_process setup waits for it, not the first tick)', async () => {
      const supervisor = new ProcessSupervisor(undefined, 200, implementation);
      expect(supervisor.pid).toBeUndefined();
      await supervisor.whenReady();
      const pid = supervisor.pid as number;
      expect(isAlive(pid)).toBe(true);
      // Known only from its `ready` message.
      expect(supervisor.childrenDieWithSupervisor).toBeTypeOf('boolean');
      await supervisor.whenReady();
      expect(supervisor.pid).toBe(pid);
      // Nothing started: it is let go after the idle time.
      expect(await within(5000, () => !isAlive(pid))).toBeDefined();
    });

    it('exits after the idle time once its processes ended, and the next process starts a new one', async () => {
      const supervisor = new ProcessSupervisor(undefined, 200, implementation);
      const { state, listen } = listener();
      const started = await supervisor.spawn('echo', ['hello'], listen);
      expect(started.ok).toBe(true);
      const first = supervisor.pid as number;
      expect(await within(5000, () => state.exited && state.closed)).toBeDefined();
      expect(state.lines).toEqual(['hello']);
      expect(await within(5000, () => !isAlive(first))).toBeDefined();
      expect(supervisor.pid).toBeUndefined();

      const again = listener();
      expect((await supervisor.spawn('echo', ['again'], again.listen)).ok).toBe(true);
      expect(supervisor.pid).not.toBe(first);
      expect(await within(5000, () => again.state.exited && again.state.closed)).toBeDefined();
      expect(again.state.lines).toEqual(['again']);
    });

    it('stays while a process group it started still has a member, until the host forgets the group', async () => {
      const supervisor = new ProcessSupervisor(undefined, 100, implementation);
      const { state, listen } = listener();
      const started = await supervisor.spawn('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], listen);
      if (!started.ok) throw new Error(started.message);
      const pgid = started.pid;
      const own = supervisor.pid as number;
      try {
        expect(await within(5000, () => state.exited && state.closed)).toBeDefined();
        const orphan = Number(state.lines[0]);
        expect(isAlive(orphan)).toBe(true);
        await pause(500);
        expect(isAlive(own)).toBe(true);
        expect(supervisor.pid).toBe(own);
        supervisor.signal(pgid, 9);
        supervisor.forget(pgid);
        expect(await within(5000, () => !isAlive(orphan))).toBeDefined();
        expect(await within(5000, () => !isAlive(own))).toBeDefined();
      } finally {
        killAll([own], [pgid]);
      }
    });
  });
}
