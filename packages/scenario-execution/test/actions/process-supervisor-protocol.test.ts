/**
 * The process supervisors spoken to directly in the protocol of `messages.ts`,
 * both implementations (the native one wherever the build made it): the
 * wire format, which groups may be signalled, `forget`, the end of stdin, a
 * host that does not read, a malformed request. Also the host's fallback to the
 * Node supervisor when a native one does not start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  MAX_LINE_BYTES,
  type ProcessListener,
  ProcessSupervisor,
  type SupervisorImplementation,
  supervisorCommand,
} from '../../src/actions/process-supervisor/client.js';
import { escapeField } from '../../src/actions/process-supervisor/messages.js';
import {
  isAlive,
  killAll,
  membersOf,
  pause,
  residentBytes,
  SUPERVISOR_IMPLEMENTATIONS,
  within,
} from './process-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'se-protocol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cleanups of the current test. */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A supervisor run by this test, its events as lists of fields. */
class Raw {
  readonly child: ChildProcess;
  readonly events: string[][] = [];
  private pending = '';
  readonly exited: Promise<void>;

  constructor(implementation: SupervisorImplementation) {
    const command = supervisorCommand(implementation, {
      maxLineBytes: MAX_LINE_BYTES,
      parentCheckMs: 250,
      usePdeathsig: true,
    });
    this.child = spawn(command.file, command.args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    const pid = this.child.pid as number;
    cleanups.push(() => killAll([pid]));
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (text: string) => {
      this.pending += text;
      const lines = this.pending.split('\n');
      this.pending = lines.pop() as string;
      for (const line of lines) this.events.push(line.split('\t'));
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  send(...fields: (string | number)[]): void {
    this.child.stdin?.write(`${fields.map((field) => escapeField(String(field))).join('\t')}\n`);
  }

  /** The first event (from `from` on) whose fields start with `prefix`; fails after 10 s. */
  async event(prefix: readonly string[], from = 0): Promise<string[]> {
    let found: string[] | undefined;
    const seen = await within(10_000, () => {
      found = this.events.slice(from).find((fields) => prefix.every((field, i) => fields[i] === field));
      return found !== undefined;
    });
    expect(seen, `no event ${prefix.join(' ')} in ${JSON.stringify(this.events)}`).toBeDefined();
    return found as string[];
  }

  /** Start `file` with `args` as request `id`; its pid. */
  async start(id: number, file: string, ...args: string[]): Promise<number> {
    this.send('spawn', id, '', file, ...args);
    const pid = Number((await this.event(['spawned', String(id)]))[2]);
    cleanups.push(() => killAll([pid], [pid]));
    return pid;
  }
}

/** Whether every member of process group `pgid` sleeps (state S) in `samples` samples in a row, 20 ms apart. */
async function keepsSleeping(pgid: number, samples: number): Promise<boolean> {
  for (let i = 0; i < samples; i++) {
    const members = membersOf(new Set([pgid]));
    if (members.length === 0 || members.some((info) => info.state !== 'S')) return false;
    await pause(20);
  }
  return true;
}

for (const implementation of SUPERVISOR_IMPLEMENTATIONS) {
  describe(`the ${implementation} supervisor, spoken to directly`, () => {
    it('says it is ready, then starts, relays and reports in the wire format', async () => {
      const raw = new Raw(implementation);
      expect(await raw.event(['ready'])).toEqual(['ready', '1']);
      raw.send('env', 'PATH=/usr/bin:/bin', 'SE_FIELD=a\tb');
      const pid = await raw.start(7, 'sh', '-c', 'printf "%s\\n\\\\x\\n" "$SE_FIELD"; printf "e\\r\\n" >&2; exit 3');
      expect(await raw.event(['exit', '7'])).toEqual(['exit', '7', '3', '']);
      await raw.event(['closed', '7']);
      expect(await raw.event(['empty', String(pid)])).toEqual(['empty', String(pid)]);
      const lines = raw.events
        .filter((fields) => fields[0] === 'out')
        .flatMap(([, id, fd, ...rest]) => rest.map((line) => `${id} ${fd} ${line}`));
      expect(lines.filter((line) => line.includes(' 1 '))).toEqual(['7 1 a\\tb', '7 1 \\\\x']);
      expect(lines.filter((line) => line.includes(' 2 '))).toEqual(['7 2 e']);

      raw.send('spawn', 8, '/', 'no-such-program-here');
      expect(await raw.event(['failed', '8'])).toEqual(['failed', '8', 'ENOENT', 'spawn no-such-program-here ENOENT']);
      const killed = await raw.start(9, 'sleep', '30');
      raw.send('signal', killed, 15);
      expect(await raw.event(['exit', '9'])).toEqual(['exit', '9', '', '15']);
      raw.child.stdin?.end();
      await raw.exited;
    });

    it('signals only groups it started and did not forget; kills the others when its stdin ends', async () => {
      const raw = new Raw(implementation);
      await raw.event(['ready']);
      const stranger = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      const strangerPid = stranger.pid as number;
      cleanups.push(() => killAll([strangerPid], [strangerPid]));
      raw.send('signal', strangerPid, 9);
      // Requests are handled in order: once 1 runs, the signal request was handled.
      const orphanMaker = await raw.start(1, 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!');
      const kept = Number((await raw.event(['out', '1', '1']))[3]);
      const forgotten = await raw.start(2, 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!');
      const orphan = Number((await raw.event(['out', '2', '1']))[3]);
      await raw.event(['closed', '2']);
      await raw.event(['exit', '2']);
      raw.send('forget', forgotten);
      raw.send('signal', forgotten, 9);
      const last = await raw.start(3, 'true');
      await raw.event(['empty', String(last)]);
      expect(isAlive(strangerPid)).toBe(true);
      expect(isAlive(orphan)).toBe(true);
      expect(isAlive(kept)).toBe(true);
      // The groups with a member left are not reported empty.
      expect(raw.events.some((fields) => fields[0] === 'empty' && Number(fields[1]) === orphanMaker)).toBe(false);

      raw.child.stdin?.end();
      await raw.exited;
      expect(await within(5000, () => !isAlive(kept))).toBeDefined();
      expect(isAlive(orphan)).toBe(true);
      expect(isAlive(strangerPid)).toBe(true);
      killAll([orphan, strangerPid]);
    });

    it('when the host does not read, stops reading the pipes (the child blocks) and its memory stays bounded', async () => {
      const raw = new Raw(implementation);
      await raw.event(['ready']);
      // Lines of 1000 bytes: a backlog of tiny lines would cost this test more than the supervisors.
      const lines = await raw.start(1, 'yes', 'y'.repeat(999));
      const long = await raw.start(2, 'sh', '-c', 'while :; do head -c 1000000 /dev/zero; done');
      await raw.event(['out', '1', '1']);
      raw.child.stdout?.pause();
      const supervisor = raw.child.pid as number;
      // Until the buffers fill, the children only wait now and then; then they stay blocked in write.
      let blocked = false;
      for (let round = 0; round < 50 && !blocked; round++) {
        blocked = (await keepsSleeping(lines, 10)) && (await keepsSleeping(long, 10));
      }
      expect(blocked).toBe(true);
      // A few MB for the native one; the Node one levels off at ~150 MB.
      const limit = implementation === 'native' ? 32 * 1024 * 1024 : 256 * 1024 * 1024;
      expect(residentBytes(supervisor)).toBeLessThan(limit);

      const before = raw.events.length;
      raw.child.stdout?.resume();
      expect(await within(10_000, () => raw.events.length > before + 10)).toBeDefined();
      raw.send('signal', lines, 9);
      raw.send('signal', long, 9);
      await raw.event(['closed', '1']);
      await raw.event(['closed', '2']);
      // The endless line was cut (and sent when its pipe ended): the rest was counted.
      const cut = raw.events.find((fields) => fields[0] === 'out' && fields[1] === '2');
      expect(cut?.[3]).toMatch(/^\0{65536} \[\.\.\. \d+ more bytes of this line dropped\]$/);
      raw.child.stdin?.end();
      await raw.exited;
    });

    it('reports a malformed request as fatal, kills its groups and exits', async () => {
      const raw = new Raw(implementation);
      await raw.event(['ready']);
      const pid = await raw.start(1, 'sleep', '30');
      raw.send('no-such-request', 1);
      expect((await raw.event(['fatal']))[1]).toMatch(/request/);
      await raw.exited;
      expect(await within(5000, () => !isAlive(pid))).toBeDefined();
    });
  });
}

describe('a native supervisor that does not start', () => {
  /** A listener that records the lines and the end. */
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

  it.each([
    ['exits at once', '#!/bin/sh\nexit 3\n'],
    ['speaks another protocol', '#!/bin/sh\necho hello\nsleep 30\n'],
  ])('is replaced by the Node one when it %s (auto)', async (what, script) => {
    const broken = join(dir, `broken-${what.replace(/\W/g, '-')}`);
    writeFileSync(broken, script);
    chmodSync(broken, 0o755);
    const supervisor = new ProcessSupervisor(undefined, 200, 'auto', broken);
    const { state, listen } = listener();
    const started = await supervisor.spawn('echo', ['fine'], listen);
    expect(started.ok).toBe(true);
    expect(supervisor.implementation).toBe('node');
    expect(await within(5000, () => state.exited && state.closed)).toBeDefined();
    expect(state.lines).toEqual(['fine']);
  });

  it('is not tried when it was not built (auto)', async () => {
    const supervisor = new ProcessSupervisor(undefined, 200, 'auto', join(dir, 'not-built'));
    const { state, listen } = listener();
    expect((await supervisor.spawn('echo', ['fine'], listen)).ok).toBe(true);
    expect(supervisor.implementation).toBe('node');
    expect(await within(5000, () => state.exited && state.closed)).toBeDefined();
    expect(state.lines).toEqual(['fine']);
  });

  it('fails the start when it was chosen explicitly', async () => {
    const broken = join(dir, 'broken-native');
    writeFileSync(broken, '#!/bin/sh\nexit 3\n');
    chmodSync(broken, 0o755);
    const supervisor = new ProcessSupervisor(undefined, 200, 'native', broken);
    const started = await supervisor.spawn('echo', ['fine'], listener().listen);
    expect(started).toEqual({
      ok: false,
      code: undefined,
      message: 'the process supervisor ended unexpectedly (exit code 3)',
    });
  });
});
