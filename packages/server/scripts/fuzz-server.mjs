#!/usr/bin/env node
/**
 * Seeded fuzzing of the built `scenario_execution_server` (`npm run fuzz`).
 *
 *   node packages/server/scripts/fuzz-server.mjs [--count N] [--seed S] [--timeout MS] [--malloc-default]
 *
 * Starts the server as a child process on a free loopback TCP port, sends N
 * malformed messages (default 100,000; see fuzz-cases.mjs), then measures a
 * heartbeat's round trip, the server's memory growth (after a full garbage
 * collection, which fuzz-gc-hook.mjs lets it trigger), and the time and peak
 * memory of refusing a 16 MB message of 16 million empty maps. Prints a table
 * and exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  array32Bomb,
  emptyStats,
  fuzzCases,
  heartbeatRoundTrips,
  askOnce,
  sendCases,
  sixteenMillionMaps,
  KINDS,
} from './fuzz-cases.mjs';

const BIN = fileURLToPath(new URL('../bin/scenario_execution_server.js', import.meta.url));
const GC_HOOK = fileURLToPath(new URL('./fuzz-gc-hook.mjs', import.meta.url));
const DIST_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const USAGE = 'usage: fuzz-server.mjs [--count N] [--seed S] [--timeout MS] [--malloc-default]';

/**
 * glibc's malloc starts by returning freed blocks of 128 KiB and more to the
 * system, but each such block freed raises that threshold (up to 32 MiB) and
 * the trim threshold with it, so after a few 1–64 MiB messages it keeps up to
 * about 100 MB of freed memory cached in its arenas for good (calling
 * malloc_trim(0) in the server then brings its RSS back to +10 MB). Fixing the
 * threshold at its initial value keeps that cache out of the growth figure, so
 * the figure shows what the server holds; `--malloc-default` measures without.
 */
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

const TARGETS = {
  heartbeatMs: 5,
  rssGrowthMb: 64,
  mapsReplyMs: 1000,
  mapsPeakMb: 200,
};

function parseArgs(argv) {
  const options = { count: 100_000, seed: 1, timeoutMs: 2000, mallocDefault: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--malloc-default') {
      options.mallocDefault = true;
      continue;
    }
    const value = Number(argv[i + 1]);
    const key = { '--count': 'count', '--seed': 'seed', '--timeout': 'timeoutMs' }[flag];
    if (key === undefined || !Number.isInteger(value) || value < 0) {
      console.error(`${USAGE} (bad argument: ${flag})`);
      process.exit(2);
    }
    options[key] = value;
    i++;
  }
  return options;
}

/** A /proc/<pid>/status field in MB (VmRSS, VmHWM), or NaN once the process is gone. */
function memoryMb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Reset the peak RSS (VmHWM) of a process to its current RSS; false if Linux refused. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Start the built server on a free loopback port; resolves once it listens. */
function startServer(mallocDefault) {
  const child = spawn(
    process.execPath,
    // The built server as its bin runs it, plus a SIGUSR2 handler that collects garbage.
    [
      '--expose-gc',
      '--import',
      GC_HOOK,
      BIN,
      '--port',
      '0',
      '--bind',
      '127.0.0.1',
      '--watchdog',
      '0',
      '--connect-timeout',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: mallocDefault ? process.env : { ...process.env, ...MALLOC_ENV } },
  );
  const server = {
    child,
    exited: false,
    exit: '',
    lines: 0,
    /** Lines that tell of dropped oversized frames (logged on each closed connection). */
    hardLimitLines: 0,
    tail: /** @type {string[]} */ ([]),
    stderr: '',
  };
  child.on('exit', (code, signal) => {
    server.exited = true;
    server.exit = signal ?? String(code);
  });
  child.stderr.on('data', (chunk) => {
    server.stderr = (server.stderr + chunk.toString()).slice(-4000);
  });
  let partial = '';
  const listening = new Promise((resolve, reject) => {
    child.on('exit', () => reject(new Error(`server exited before listening:\n${server.stderr}`)));
    child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        server.lines++;
        // One line per closed connection with --verbose, else a summary line now and then with the count.
        if (line.includes('hard size limit')) {
          server.hardLimitLines += Number(/(\d+) client connections? closed/.exec(line)?.[1] ?? 1);
        }
        server.tail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
        if (server.tail.length > 10) server.tail.shift();
        const match = /listening on (tcp:\/\/\S+)/.exec(line);
        if (match) resolve(match[1]);
      }
    });
  });
  return { server, listening };
}

/** SIGTERM (the server resets its actions and exits), SIGKILL if it is still there after 5 s. */
async function stopServer(server) {
  if (server.exited) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function row(label, value, target, ok) {
  const mark = ok === undefined ? '' : ok ? 'ok' : 'MISSED';
  return `${label.padEnd(44)} ${String(value).padStart(16)}  ${target.padEnd(12)} ${mark}`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(DIST_MAIN)) {
    console.error(`${DIST_MAIN} is missing: run 'npm run build' first`);
    return 2;
  }
  const { server, listening } = startServer(options.mallocDefault);
  const endpoint = await listening;
  const pid = /** @type {number} */ (server.child.pid);
  const alive = () => !server.exited;
  try {
    // Warm up (connection, JIT) before the baseline.
    await heartbeatRoundTrips(endpoint, 20);
    const rssStart = memoryMb(pid, 'VmRSS');
    console.log(`fuzz-server: seed ${options.seed}, ${options.count} messages, server pid ${pid} on ${endpoint}`);
    const malloc = options.mallocDefault
      ? "glibc's default (dynamic) thresholds"
      : 'MALLOC_MMAP_THRESHOLD_=131072 (fixed)';
    console.log(`server malloc: ${malloc}`);
    const started = performance.now();
    const stats = emptyStats();
    // The message that used to kill the server, and its smaller variants, come first.
    const classics = [86, 6, 41].map((size) => ({
      kind: `array32 bomb, ${size} bytes`,
      socket: /** @type {const} */ ('req'),
      frames: [array32Bomb((size - 1) / 5)],
      expect: /** @type {const} */ ('error'),
    }));
    await sendCases(endpoint, classics, { timeoutMs: options.timeoutMs, alive, stats });
    let lastReport = performance.now();
    const progress = function* (cases) {
      let n = 0;
      for (const c of cases) {
        n++;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          console.log(`  … ${n} sent, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
        yield c;
      }
    };
    await sendCases(endpoint, progress(fuzzCases(options.count, options.seed)), {
      timeoutMs: options.timeoutMs,
      alive,
      stats,
    });
    const fuzzSeconds = (performance.now() - started) / 1000;
    const peakDuringRun = memoryMb(pid, 'VmHWM');

    let heartbeat = [Number.NaN];
    let rssEnd = Number.NaN;
    let rssCollected = Number.NaN;
    let maps;
    let mapsPeak = Number.NaN;
    let peakReset = false;
    if (alive()) {
      heartbeat = await heartbeatRoundTrips(endpoint, 50);
      rssEnd = memoryMb(pid, 'VmRSS');
      // Garbage of the last messages (received frames of up to 64 MiB among it) waits
      // for V8's next collection, whose time V8 picks; the growth is read after one.
      process.kill(pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rssCollected = memoryMb(pid, 'VmRSS');
      peakReset = resetPeak(pid);
      maps = await askOnce(endpoint, sixteenMillionMaps(), 10_000);
      mapsPeak = memoryMb(pid, 'VmHWM');
    }
    const crashed = stats.crashed || server.exited;

    console.log('');
    console.log(`${'kind'.padEnd(40)} ${'sent'.padStart(8)} ${'error'.padStart(8)} ${'other'.padStart(6)}`);
    const kinds = [...new Set([...Object.keys(stats.byKind), ...KINDS])];
    for (const kind of kinds) {
      const k = stats.byKind[kind] ?? { sent: 0, error: 0, other: 0 };
      console.log(
        `${kind.padEnd(40)} ${String(k.sent).padStart(8)} ${String(k.error).padStart(8)} ${String(k.other).padStart(6)}`,
      );
    }
    console.log('');
    const p50 = heartbeat[Math.floor(heartbeat.length / 2)] ?? Number.NaN;
    const max = heartbeat[heartbeat.length - 1] ?? Number.NaN;
    const growth = rssCollected - rssStart;
    const mapsOk = maps !== undefined && maps.status === 'error';
    const results = [
      row('messages sent', stats.sent, '', undefined),
      row('server crashes (process exited)', crashed ? `1 (${server.exit || 'gone'})` : 0, '0', !crashed),
      row(`hangs (no reply within ${options.timeoutMs} ms)`, stats.hangs, '0', stats.hangs === 0),
      row('error replies', stats.errorReplies, '', undefined),
      row('ok replies', stats.okReplies, '0', stats.okReplies === 0),
      row('malformed replies (bad envelope or body)', stats.badReplies, '0', stats.badReplies === 0),
      row('dropped by design (frame above hard limit)', stats.dropped, '', undefined),
      row('replies where a drop was expected', stats.unexpectedReplies, '0', stats.unexpectedReplies === 0),
      row('server log lines / closed-connection lines', `${server.lines} / ${server.hardLimitLines}`, '', undefined),
      row('fuzzing time', `${fuzzSeconds.toFixed(1)} s`, '', undefined),
      row(
        'heartbeat round trip after the run, p50 / max',
        `${p50.toFixed(2)} / ${max.toFixed(2)} ms`,
        '≤ 5 ms (p50)',
        p50 <= TARGETS.heartbeatMs,
      ),
      row(
        'server RSS at start / end / after a full GC',
        `${rssStart.toFixed(0)} / ${rssEnd.toFixed(0)} / ${rssCollected.toFixed(0)} MB`,
        '',
        undefined,
      ),
      row('server RSS growth (after a full GC)', `${growth.toFixed(1)} MB`, '≤ 64 MB', growth <= TARGETS.rssGrowthMb),
      row('server peak RSS during the run (VmHWM)', `${peakDuringRun.toFixed(0)} MB`, '', undefined),
      row('16M empty maps (16 MB): reply', maps ? `${maps.status}` : 'none', 'error', mapsOk),
      row(
        '16M empty maps: time to the error reply',
        maps ? `${maps.ms.toFixed(0)} ms` : '-',
        '≤ 1000 ms',
        mapsOk && maps.ms <= TARGETS.mapsReplyMs,
      ),
      row(
        `16M empty maps: server peak RSS${peakReset ? '' : ' (whole run: reset refused)'}`,
        `${mapsPeak.toFixed(0)} MB`,
        '≤ 200 MB',
        mapsPeak <= TARGETS.mapsPeakMb,
      ),
    ];
    for (const line of results) console.log(line);
    if (maps?.message) console.log(`\n16M-maps reply: ${maps.message}`);
    if (stats.failures.length > 0) {
      console.log('\nFirst failures:');
      for (const f of stats.failures) console.log(`  ${f}`);
    }
    if (crashed)
      console.log(`\nServer stderr (end):\n${server.stderr}\nServer stdout (end):\n${server.tail.join('\n')}`);
    const missed = results.filter((line) => line.endsWith('MISSED')).length;
    console.log(missed === 0 ? '\nAll targets met.' : `\n${missed} target(s) missed.`);
    return missed === 0 ? 0 : 1;
  } finally {
    await stopServer(server);
  }
}

process.exitCode = await main();
