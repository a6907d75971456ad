import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/codec.js';
import { decodeReply, decodeRequest, encodeReply, encodeRequest, HEARTBEAT_REQUEST_BYTES } from '../src/messages.js';

const dir = fileURLToPath(new URL('./fixtures/transcripts/', import.meta.url));

interface Recorded {
  dir: 'req' | 'rep';
  hex: string;
  msg: unknown;
}

const messages: [string, Recorded][] = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) =>
    readFileSync(dir + f, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i): [string, Recorded] => [`${f}:${i + 1}`, JSON.parse(line)]),
  );

interface ErrorCase {
  req_hex: string;
  rep_hex: string;
  req: unknown;
  rep: unknown;
}
const errorCases: ErrorCase[] = JSON.parse(readFileSync(`${dir}server_errors.json`, 'utf8'));

describe('every recorded message', () => {
  it('has every heartbeat the Python client sent in the bytes clients send and servers recognise', () => {
    const heartbeats = messages.filter(
      ([, rec]) => rec.dir === 'req' && (rec.msg as { cmd?: unknown }).cmd === 'heartbeat',
    );
    expect(heartbeats.length).toBeGreaterThan(0);
    for (const [, rec] of heartbeats) expect(rec.hex).toBe(HEARTBEAT_REQUEST_BYTES.toString('hex'));
  });

  it('covers all transcripts', () => {
    expect(messages.length).toBeGreaterThan(100);
  });

  it.each(messages)('%s decodes to the recording and re-encodes byte for byte', (_where, rec) => {
    const bytes = Buffer.from(rec.hex, 'hex');
    expect(decode(bytes)).toEqual({ ok: true, value: rec.msg });
    expect(encode(rec.msg).toString('hex')).toBe(rec.hex);
    if (rec.dir === 'req') {
      const parsed = decodeRequest(bytes);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.value).toEqual(rec.msg);
        expect(encodeRequest(parsed.value).toString('hex')).toBe(rec.hex);
      }
    } else {
      const parsed = decodeReply(bytes);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.value).toEqual(rec.msg);
        expect(encodeReply(parsed.value).toString('hex')).toBe(rec.hex);
      }
    }
  });
});

describe('server_errors.json', () => {
  it.each(errorCases.map((c, i) => [i, c] as const))('case %i: reply bytes round-trip', (_i, c) => {
    const reply = decodeReply(Buffer.from(c.rep_hex, 'hex'));
    expect(reply).toEqual({ ok: true, value: c.rep });
    if (reply.ok) expect(encodeReply(reply.value).toString('hex')).toBe(c.rep_hex);
  });

  it.each(errorCases.filter((c) => typeof c.req !== 'string').map((c, i) => [i, c] as const))(
    'case %i: request bytes round-trip',
    (_i, c) => {
      const bytes = Buffer.from(c.req_hex, 'hex');
      expect(decode(bytes)).toEqual({ ok: true, value: c.req });
      expect(encode(c.req).toString('hex')).toBe(c.req_hex);
    },
  );
});
