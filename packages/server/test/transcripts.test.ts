/**
 * Replays every recorded request of the Python client (transcripts/*.jsonl)
 * against our server with the engine's built-in actions, at the recorded pace,
 * and compares the replies with the recorded ones (extra keys aside).
 *
 * Timing tolerance: whether a process is still running at a given update depends
 * on the machine, so an update may report the action's final status earlier than
 * recorded; when the recording shows the final status and ours still says
 * "running", the update is repeated until it finishes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeReply, type Reply } from '@scenario-execution/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createActionResolver } from '../src/action-catalog.js';
import { TestClient } from './support/client.js';
import { type RunningServer, sleep, startServer } from './support/harness.js';

// The wire transcripts live once, with the protocol package's tests.
const dir = fileURLToPath(new URL('../../protocol/test/fixtures/transcripts/', import.meta.url));

interface Recorded {
  dir: 'req' | 'rep';
  t: number;
  hex: string;
  msg: { cmd?: string; payload?: { action_id?: string }; status?: string; action_status?: string };
  client: string;
}

interface Exchange {
  t: number;
  client: string;
  requestHex: string;
  request: Recorded['msg'];
  reply: Recorded['msg'];
}

function exchanges(file: string): Exchange[] {
  const records: Recorded[] = readFileSync(dir + file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const out: Exchange[] = [];
  for (let i = 0; i < records.length; i += 2) {
    const req = records[i] as Recorded;
    const rep = records[i + 1] as Recorded;
    expect(req.dir).toBe('req');
    expect(rep.dir).toBe('rep');
    expect(rep.client).toBe(req.client);
    out.push({ t: req.t, client: req.client, requestHex: req.hex, request: req.msg, reply: rep.msg });
  }
  return out;
}

/** The reply without the keys our server adds. */
function standardPart(reply: Reply): Record<string, unknown> {
  const { log: _log, feedback: _feedback, ...rest } = reply;
  return rest;
}

const transcripts = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
const POLL_LIMIT = 100;

let running: RunningServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await running?.close();
  running = undefined;
});

describe('recorded Python sessions replayed against our server', () => {
  it('finds the transcripts', () => {
    expect(transcripts).toEqual(
      expect.arrayContaining([
        'basic.jsonl',
        'heartbeat.jsonl',
        'parallel.jsonl',
        'background_process.jsonl',
        'process_failure.jsonl',
      ]),
    );
  });

  it.each(transcripts)('%s', async (file) => {
    const recorded = exchanges(file);
    running = await startServer({ resolve: createActionResolver() });
    const byClient = new Map<string, TestClient>();
    const finalStatus = new Map<string, string>();
    for (const e of recorded) {
      if (e.request.cmd === 'update' && e.reply.action_status)
        finalStatus.set(e.request.payload?.action_id ?? '', e.reply.action_status);
    }
    const logs = new Map<string, string[]>();
    const t0 = recorded[0]?.t ?? 0;
    const start = performance.now();
    for (const e of recorded) {
      const due = start + (e.t - t0) * 1000;
      if (due > performance.now()) await sleep(due - performance.now());
      let c = byClient.get(e.client);
      if (!c) {
        c = new TestClient(running.endpoint);
        clients.push(c);
        byClient.set(e.client, c);
      }
      const actionId = e.request.payload?.action_id ?? '';
      let reply = await c.rawReply(Buffer.from(e.requestHex, 'hex'));
      const collect = (r: Reply) =>
        logs.set(actionId, [...(logs.get(actionId) ?? []), ...(r.log ?? []).map((l) => l.msg)]);
      collect(reply);
      if (e.request.cmd === 'update' && reply.status === 'ok') {
        const final = finalStatus.get(actionId);
        if (e.reply.action_status === 'running' && reply.action_status !== 'running') {
          // Finished earlier than in the recording: it must be the recorded outcome.
          expect(reply.action_status).toBe(final);
          continue;
        }
        for (
          let polls = 0;
          e.reply.action_status !== 'running' && reply.status === 'ok' && reply.action_status === 'running';
          polls++
        ) {
          expect(polls).toBeLessThan(POLL_LIMIT);
          await sleep(50);
          reply = await c.rawReply(Buffer.from(e.requestHex, 'hex'));
          collect(reply);
        }
      }
      expect(standardPart(reply), `${file}: ${JSON.stringify(e.request)}`).toEqual(e.reply);
    }
    if (file === 'basic.jsonl') {
      // The output of the remote `echo hello` reaches the client.
      const echoId =
        recorded.find((e) => JSON.stringify(e.request).includes('echo hello'))?.request.payload?.action_id ?? '';
      expect(logs.get(echoId)).toContain('hello');
    }
  });
});

interface ErrorCase {
  req_hex: string;
  rep_hex: string;
  req: unknown;
  rep: { status: string; message?: string };
}

describe('server_errors.json replayed in order against our server with the built-in actions', () => {
  const cases: ErrorCase[] = JSON.parse(readFileSync(`${dir}server_errors.json`, 'utf8'));

  it('gives the recorded replies', async () => {
    running = await startServer({ resolve: createActionResolver() });
    const c = new TestClient(running.endpoint);
    clients.push(c);
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const errorCase of cases) {
      const bytes = Buffer.from(errorCase.req_hex, 'hex');
      const what = JSON.stringify(errorCase.req);
      const raw = await c.raw(bytes);
      const reply = decodeReply(raw);
      expect(reply.ok, what).toBe(true);
      if (!reply.ok) continue;
      if (typeof errorCase.req === 'string') {
        // Undecodable bytes: Python answers with an empty message, we say what is wrong.
        expect(reply.value).toMatchObject({ status: 'error', message: expect.stringMatching(/^invalid msgpack/) });
      } else if (errorCase.rep.message?.includes('missing 1 required positional argument')) {
        // `log` executed without `msg`: Python's TypeError comes from execute(); ours
        // may come at execute or at the first update, but it must come.
        let failure = reply.value;
        if (failure.status === 'ok') failure = await c.call('update', { action_id: 'a2' });
        expect(failure, what).toMatchObject({ status: 'error', message: expect.stringMatching(/msg|message/i) });
      } else {
        expect(raw.toString('hex'), what).toBe(errorCase.rep_hex);
      }
    }
    expect(running.host.size).toBe(0);
  });
});
