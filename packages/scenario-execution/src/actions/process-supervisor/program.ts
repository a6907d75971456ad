/**
 * The process supervisor: a small Node process that starts, relays and reaps
 * the processes of `run_process` for its host (the `scenario_execution` CLI or
 * a `scenario_execution_server`), so that fork/exec never runs on the host's
 * event loop, and that kills every process group it started as soon as the
 * host is gone, however the host died.
 *
 * {@link supervisorProgram} is not called in the host: the host runs its text
 * in a new `node -e` process (see `client.ts`). It must therefore be
 * self-contained: no imports other than types, only globals and `require`.
 *
 * It implements the protocol of `messages.ts` (requests on stdin, events on
 * stdout, tab-separated lines), as the native supervisor (`native/se-spawner.c`)
 * does; the host uses this one where that one was not built. The field codec
 * is passed in (`codec`), from `messages.ts`. Signals to the groups are sent from here too (a `kill` that
 * wakes a process can cost the sender a time slice). The host is gone when stdin ends, stdout fails, or the
 * parent pid changes; then every process group started is SIGKILLed and the
 * supervisor exits. SIGTERM, SIGINT and SIGHUP do the same.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { HostMessage, OutputEvent, SpawnRequest, SupervisorEvent, SupervisorOptions } from './messages.js';

/** `escapeField` and `unescapeField` of `messages.ts`. */
export interface FieldCodec {
  escape(text: string): string;
  unescape(field: string): string;
}

export function supervisorProgram(options: SupervisorOptions, codec: FieldCodec): void {
  const childProcess: typeof import('node:child_process') = require('node:child_process');
  const fs: typeof import('node:fs') = require('node:fs');
  const os: typeof import('node:os') = require('node:os');
  const path: typeof import('node:path') = require('node:path');
  const signalNumbers = os.constants.signals as Readonly<Record<string, number>>;
  // A host given a higher priority (negative nice, e.g. systemd's Nice=) keeps it for itself: the
  // processes run at the usual one (as in native/se-spawner.c). Raising it to 0 needs no privilege.
  try {
    if (os.getPriority() < 0) os.setPriority(0);
  } catch {
    // Kept as it is.
  }

  const parentPid = process.ppid;
  /** Process groups started that may still have members. */
  const groups = new Set<number>();
  /** Children not reaped yet, by request id. */
  const children = new Map<number, ChildProcess>();
  /** Output streams being read (paused while stdout is full). */
  const streams = new Set<Readable>();
  let queue: SupervisorEvent[] = [];
  let flushScheduled = false;
  let stdoutFull = false;
  let stopping = false;
  let env: Record<string, string> = { ...process.env } as Record<string, string>;

  // ---- the wire format (messages.ts)

  function encode(event: SupervisorEvent): string {
    switch (event.t) {
      case 'ready':
        return `ready\t${event.pdeathsig ? 1 : 0}\n`;
      case 'spawned':
        return `spawned\t${event.id}\t${event.pid}\n`;
      case 'failed':
        return `failed\t${event.id}\t${codec.escape(event.code ?? '')}\t${codec.escape(event.message)}\n`;
      case 'out': {
        let text = `out\t${event.id}\t${event.fd}`;
        for (const line of event.lines) text += `\t${codec.escape(line)}`;
        return `${text}\n`;
      }
      case 'exit':
        return `exit\t${event.id}\t${event.code ?? ''}\t${event.signal ?? ''}\n`;
      case 'closed':
        return `closed\t${event.id}\n`;
      case 'empty':
        return `empty\t${event.pgid}\n`;
      case 'fatal':
        return `fatal\t${codec.escape(event.message)}\n`;
    }
  }

  function decode(line: string): HostMessage {
    const fields = line.split('\t').map((field) => codec.unescape(field));
    const number = (index: number): number => {
      const field = fields[index] ?? '';
      if (!/^\d{1,16}$/.test(field)) throw new Error(`bad request: ${line}`);
      return Number(field);
    };
    switch (fields[0]) {
      case 'spawn':
        if (fields.length < 4) throw new Error(`bad request: ${line}`);
        return {
          t: 'spawn',
          id: number(1),
          cwd: fields[2] || undefined,
          file: fields[3] as string,
          args: fields.slice(4),
        };
      case 'env': {
        const env: Record<string, string> = {};
        for (const entry of fields.slice(1)) {
          const equals = entry.indexOf('=');
          if (equals >= 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
        }
        return { t: 'env', env };
      }
      case 'forget':
        return { t: 'forget', pgid: number(1) };
      case 'signal':
        return { t: 'signal', pgid: number(1), signal: number(2) };
      default:
        throw new Error(`unknown request: ${line}`);
    }
  }

  // ---- events to the host, batched per turn of the event loop, with back-pressure

  function send(event: SupervisorEvent): void {
    queue.push(event);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }

  function flush(): void {
    flushScheduled = false;
    if (stopping || queue.length === 0) return;
    let text = '';
    for (const event of queue) text += encode(event);
    queue = [];
    if (!process.stdout.write(text) && !stdoutFull) {
      // The host reads slower than the children write: stop reading them until it caught up.
      stdoutFull = true;
      for (const stream of streams) stream.pause();
      process.stdout.once('drain', () => {
        stdoutFull = false;
        for (const stream of streams) stream.resume();
      });
    }
  }

  function sendLine(id: number, fd: 1 | 2, line: string): void {
    const last = queue[queue.length - 1];
    if (last !== undefined && last.t === 'out' && last.id === id && last.fd === fd) {
      (last as OutputEvent).lines.push(line);
    } else {
      send({ t: 'out', id, fd, lines: [line] });
    }
  }

  // ---- lines: split at \n, \r\n or \r (as Node's readline), at most maxLineBytes each

  /** Bytes up to the last complete UTF-8 character of `bytes`. */
  function utf8Prefix(bytes: Buffer): Buffer {
    let lead = bytes.length - 1;
    for (let back = 0; back < 3 && lead > 0 && (bytes[lead] as number) >> 6 === 0b10; back++) lead--;
    if (lead < 0) return bytes;
    const first = bytes[lead] as number;
    const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
    return lead + size > bytes.length ? bytes.subarray(0, lead) : bytes;
  }

  function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; finish(): void } {
    let parts: Buffer[] = [];
    let held = 0;
    let dropped = 0;
    let afterCarriageReturn = false;

    const add = (chunk: Buffer, start: number, end: number): void => {
      if (end <= start) return;
      const take = Math.min(Math.max(0, options.maxLineBytes - held), end - start);
      if (take > 0) {
        parts.push(chunk.subarray(start, start + take));
        held += take;
      }
      dropped += end - start - take;
    };
    const endLine = (): void => {
      let bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, held);
      if (dropped > 0) {
        const whole = utf8Prefix(bytes);
        dropped += bytes.length - whole.length;
        bytes = whole;
      }
      const text = bytes.toString('utf8');
      emit(dropped > 0 ? `${text} [... ${dropped} more bytes of this line dropped]` : text);
      parts = [];
      held = 0;
      dropped = 0;
    };

    return {
      push(chunk) {
        let pos = 0;
        if (afterCarriageReturn && chunk.length > 0) {
          afterCarriageReturn = false;
          if (chunk[0] === 0x0a) pos = 1;
        }
        let newline = chunk.indexOf(0x0a, pos);
        let carriageReturn = chunk.indexOf(0x0d, pos);
        while (pos < chunk.length) {
          if (newline !== -1 && newline < pos) newline = chunk.indexOf(0x0a, pos);
          if (carriageReturn !== -1 && carriageReturn < pos) carriageReturn = chunk.indexOf(0x0d, pos);
          let stop =
            newline === -1 ? carriageReturn : carriageReturn === -1 ? newline : Math.min(newline, carriageReturn);
          if (stop === -1) {
            add(chunk, pos, chunk.length);
            break;
          }
          add(chunk, pos, stop);
          endLine();
          if (chunk[stop] === 0x0d) {
            if (stop + 1 === chunk.length) afterCarriageReturn = true;
            else if (chunk[stop + 1] === 0x0a) stop += 1;
          }
          pos = stop + 1;
        }
        // Keep only the bytes of the unfinished line, not the chunks they came from.
        if (parts.length > 0) parts = [Buffer.concat(parts, held)];
      },
      finish() {
        if (held > 0 || dropped > 0) endLine();
      },
    };
  }

  // ---- starting processes

  /** Where `execvp` would find `file`, or the errno name it would fail with. */
  function resolveProgram(file: string, cwd: string, searchPath: string | undefined): string | { code: string } {
    const candidates = file.includes('/')
      ? [path.resolve(cwd, file)]
      : (searchPath ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((dir) => path.resolve(cwd, dir, file));
    let denied = false;
    for (const candidate of candidates) {
      let stat: import('node:fs').Stats;
      try {
        stat = fs.statSync(candidate);
      } catch {
        continue;
      }
      try {
        if (!stat.isFile()) throw new Error('not a file');
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        denied = true;
      }
    }
    return { code: denied ? 'EACCES' : 'ENOENT' };
  }

  /** Our working directory, or `/` when it was removed. */
  function workingDirectory(): string {
    try {
      return process.cwd();
    } catch {
      return '/';
    }
  }

  /** `setpriv` when it can set the parent-death signal of a child (util-linux ≥ 2.33). */
  function findSetpriv(): string | undefined {
    if (!options.usePdeathsig || process.platform !== 'linux') return undefined;
    const found = resolveProgram('setpriv', '/', process.env.PATH);
    if (typeof found !== 'string') return undefined;
    // Its long options are in the program: cheaper than running it (no process before the first start).
    try {
      return fs.readFileSync(found).includes('pdeathsig') ? found : undefined;
    } catch {
      return undefined;
    }
  }

  const setpriv = findSetpriv();

  function start(request: SpawnRequest): void {
    const { id } = request;
    let file = request.file;
    let args = request.args;
    if (setpriv !== undefined) {
      // Through setpriv the program dies with us; check it exists first to keep the OS error.
      const found = resolveProgram(request.file, request.cwd ?? workingDirectory(), env.PATH);
      if (typeof found !== 'string') {
        send({ t: 'failed', id, code: found.code, message: `spawn ${request.file} ${found.code}` });
        return;
      }
      file = setpriv;
      args = ['--pdeathsig', 'KILL', '--', request.file, ...request.args];
    }
    let child: ChildProcess;
    try {
      child = childProcess.spawn(file, args, {
        cwd: request.cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      send({ t: 'failed', id, code: failure.code, message: failure.message });
      return;
    }
    let spawned = false;
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (!spawned) send({ t: 'failed', id, code: error.code, message: error.message });
    });
    child.once('spawn', () => {
      spawned = true;
      const pid = child.pid as number;
      groups.add(pid);
      children.set(id, child);
      send({ t: 'spawned', id, pid });
      let open = 0;
      let exited = false;
      const forgetIfEmpty = (): void => {
        if (!exited || open > 0) return;
        if (!groups.has(pid)) return;
        try {
          process.kill(-pid, 0);
        } catch {
          groups.delete(pid);
          send({ t: 'empty', pgid: pid });
        }
      };
      for (const [stream, fd] of [
        [child.stdout, 1],
        [child.stderr, 2],
      ] as const) {
        if (stream === null) continue;
        open += 1;
        streams.add(stream);
        if (stdoutFull) stream.pause();
        const lines = lineSplitter((line) => sendLine(id, fd, line));
        let finished = false;
        stream.on('data', (chunk: Buffer) => lines.push(chunk));
        stream.on('error', () => {});
        stream.on('close', () => {
          if (finished) return;
          finished = true;
          lines.finish();
          streams.delete(stream);
          open -= 1;
          if (open === 0) send({ t: 'closed', id });
          forgetIfEmpty();
        });
      }
      if (open === 0) send({ t: 'closed', id });
      child.once('exit', (code, signal) => {
        exited = true;
        children.delete(id);
        send({ t: 'exit', id, code, signal: signal === null ? null : (signalNumbers[signal] ?? 0) });
        forgetIfEmpty();
      });
    });
  }

  // ---- the end: kill everything started, then exit

  function stop(): void {
    if (stopping) return;
    stopping = true;
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    for (const child of children.values()) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Gone already.
      }
    }
    process.exit(0);
  }

  function fatal(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    try {
      fs.writeSync(1, encode({ t: 'fatal', message }));
    } catch {
      // The host is gone or not reading; it learns from the exit.
    }
    stop();
  }

  process.on('uncaughtException', fatal);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
  process.stdout.on('error', stop);

  function handle(message: HostMessage): void {
    if (stopping) return;
    if (message.t === 'spawn') start(message);
    else if (message.t === 'env') env = { ...message.env };
    else if (message.t === 'forget') groups.delete(message.pgid);
    else if (message.t === 'signal' && message.pgid > 1 && groups.has(message.pgid)) {
      try {
        process.kill(-message.pgid, message.signal);
      } catch {
        // The group is empty now.
      }
    }
  }

  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    pending += text;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line !== '') handle(decode(line));
      newline = pending.indexOf('\n');
    }
  });
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  // Also notice the host's death when something else still holds our stdin open.
  setInterval(() => {
    if (process.ppid !== parentPid) stop();
  }, options.parentCheckMs);

  send({ t: 'ready', pdeathsig: setpriv !== undefined });
}
