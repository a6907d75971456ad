/**
 * A short seeded fuzz run against the built server (the long one with figures
 * is `npm run fuzz`): every malformed message gets an error reply, except
 * frames above ZeroMQ's hard limit, whose connection is dropped by design.
 */
import { DEFAULT_MAX_MESSAGE_SIZE } from '@scenario-execution/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  array32Bomb,
  askOnce,
  type FuzzStats,
  fuzzCases,
  heartbeatRoundTrips,
  KINDS,
  sendCases,
  sixteenMillionMaps,
} from '../scripts/fuzz-cases.mjs';
import { requireBuild, type SpawnedServer, spawnServer } from './support/spawned.js';

const SEED = 20_261_201;
const COUNT = 2000;

let server: SpawnedServer;
let endpoint: string;
const alive = () => server.child.exitCode === null && server.child.signalCode === null;

beforeAll(async () => {
  requireBuild();
  // --verbose: each closed connection is a line of its own (at INFO they are counted once a minute).
  server = spawnServer([
    '--port',
    '0',
    '--bind',
    '127.0.0.1',
    '--watchdog',
    '0',
    '--connect-timeout',
    '0',
    '--verbose',
  ]);
  const line = await server.waitForLine(/listening on tcp:\/\/\S+/);
  endpoint = /listening on (tcp:\/\/\S+)/.exec(line)?.[1] ?? '';
});

afterAll(() => server?.kill());

describe(`fuzzing the server (${COUNT} messages, seed ${SEED})`, () => {
  let stats: FuzzStats;

  beforeAll(async () => {
    stats = await sendCases(endpoint, fuzzCases(COUNT, SEED), { timeoutMs: 2000, dropWaitMs: 1000, alive });
  }, 120_000);

  it('sends every kind of malformed message', () => {
    expect(stats.sent).toBe(COUNT);
    for (const kind of KINDS) expect(stats.byKind[kind]?.sent, kind).toBeGreaterThan(0);
  });

  it('neither crashes nor leaves a message unanswered, except the designed drops', () => {
    expect(stats.crashed).toBe(false);
    expect(alive()).toBe(true);
    expect(stats.failures).toEqual([]);
    expect(stats.hangs).toBe(0);
    expect(stats.dropped).toBe(stats.byKind['over the hard limit']?.sent);
    expect(stats.unexpectedReplies).toBe(0);
  });

  it('answers every other message with an error reply, in the envelope it came in', () => {
    expect(stats.okReplies).toBe(0);
    expect(stats.badReplies).toBe(0);
    expect(stats.errorReplies).toBe(stats.sent - stats.dropped);
  });

  it('logs the connections ZeroMQ closed, with the hard size limit', () => {
    expect(server.stdout()).toContain(`hard size limit of ${DEFAULT_MAX_MESSAGE_SIZE * 4} bytes`);
  });
});

describe('the messages that stalled or killed the server', () => {
  it.each([86, 6, 41])('refuses the %i-byte array32 bomb', async (size) => {
    const message = array32Bomb((size - 1) / 5);
    expect(message.length).toBe(size);
    const reply = await askOnce(endpoint, message);
    expect(reply?.status).toBe('error');
    expect(reply?.message).toMatch(/^invalid msgpack: array32 at offset 0 declares 33554432 elements but only/);
  });

  it('refuses 16 million empty maps in 16 MB', async () => {
    const reply = await askOnce(endpoint, sixteenMillionMaps(), 20_000);
    expect(reply?.status).toBe('error');
    expect(reply?.message).toMatch(/more than \d+ values in one message \(the limit/);
  });

  it('answers a message over the size limit with an error', async () => {
    const reply = await askOnce(endpoint, Buffer.alloc(DEFAULT_MAX_MESSAGE_SIZE + 1, 0x61), 20_000);
    expect(reply).toMatchObject({
      status: 'error',
      message: `message too large: ${DEFAULT_MAX_MESSAGE_SIZE + 1} bytes (limit ${DEFAULT_MAX_MESSAGE_SIZE})`,
    });
    expect(server.stdout()).toContain('Bad request: message too large');
  });

  it('still answers heartbeats afterwards', async () => {
    const times = await heartbeatRoundTrips(endpoint, 3);
    expect(times).toHaveLength(3);
    expect(alive()).toBe(true);
  });
});
