/**
 * The recorded conversations of the Python client with the Python server
 * (the shared wire contract's transcripts, kept once in packages/protocol/test/fixtures/transcripts),
 * and a stub handler that answers with the recorded replies.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WireMap } from '@scenario-execution/protocol';
import type { RecordedRequest, StubHandler } from './stub-server.js';

export interface TranscriptLine {
  readonly dir: 'req' | 'rep';
  readonly t: number;
  readonly hex: string;
  readonly msg: WireMap;
  readonly client: string;
}

export interface Exchange {
  readonly request: TranscriptLine;
  readonly reply: TranscriptLine;
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../protocol/test/fixtures/transcripts/${name}`, import.meta.url));
}

export function loadTranscript(name: string): TranscriptLine[] {
  return readFileSync(fixturePath(`${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TranscriptLine);
}

/** Request/reply pairs per recorded client socket, in order. */
export function exchangesByClient(lines: readonly TranscriptLine[]): Map<string, Exchange[]> {
  const open = new Map<string, TranscriptLine>();
  const byClient = new Map<string, Exchange[]>();
  for (const line of lines) {
    if (line.dir === 'req') {
      open.set(line.client, line);
      continue;
    }
    const request = open.get(line.client);
    if (!request) throw new Error(`reply without request for client ${line.client}`);
    open.delete(line.client);
    const list = byClient.get(line.client) ?? [];
    list.push({ request, reply: line });
    byClient.set(line.client, list);
  }
  return byClient;
}

export function actionIdOf(msg: WireMap): string | undefined {
  const payload = msg.payload as WireMap | undefined;
  const id = payload?.action_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Answer each request with the reply recorded for the same action at the same
 * position (heartbeats are always answered `ok`, as they come at timer-dependent moments).
 */
export function replayHandler(lines: readonly TranscriptLine[]): StubHandler {
  const queues = new Map<string, WireMap[]>();
  for (const exchanges of exchangesByClient(lines).values()) {
    for (const { request, reply } of exchanges) {
      const id = actionIdOf(request.msg);
      if (id === undefined) continue;
      const queue = queues.get(id) ?? [];
      queue.push(reply.msg);
      queues.set(id, queue);
    }
  }
  return (request: RecordedRequest) => {
    if (request.cmd === 'heartbeat') return { status: 'ok' };
    const id = request.payload.action_id;
    const next = typeof id === 'string' ? queues.get(id)?.shift() : undefined;
    return next ?? { status: 'error', message: `transcript has no more replies for ${String(id)}` };
  };
}

/**
 * Like {@link replayHandler}, for a client whose action ids are not the
 * recorded ones: the n-th action to send `init` gets the replies of the n-th
 * recorded socket. `idMap` receives new id → recorded id.
 */
export function replayInOrderHandler(lines: readonly TranscriptLine[], idMap: Map<string, string>): StubHandler {
  const recordedIds = [...exchangesByClient(lines).values()].map((exchanges) => actionIdOf(exchanges[0]!.request.msg));
  const replay = replayHandler(lines);
  return (request: RecordedRequest) => {
    const id = request.payload.action_id;
    if (request.cmd === 'init' && typeof id === 'string' && !idMap.has(id)) {
      const recorded = recordedIds[idMap.size];
      if (recorded !== undefined) idMap.set(id, recorded);
    }
    if (typeof id !== 'string' || !idMap.has(id)) return replay(request);
    return replay({ ...request, payload: { ...request.payload, action_id: idMap.get(id)! } });
  };
}
