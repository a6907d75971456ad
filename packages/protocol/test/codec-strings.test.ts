/**
 * Text is written straight into the output buffer; its header is chosen from
 * the UTF-8 length, not the character count. Expected bytes come from Python's
 * `msgpack.packb(value, use_bin_type=True)`.
 */
import { describe, expect, it } from 'vitest';
import { encode } from '../src/codec.js';
import { encodeReply, okReply } from '../src/messages.js';

describe('encoding multi-byte text', () => {
  it.each([
    ['31 bytes: fixstr', `${'é'.repeat(15)}x`, 'bf', 31],
    ['32 bytes of 2-byte characters: str8', 'é'.repeat(16), 'd920', 32],
    ['32 bytes of 3-byte characters: str8', `${'✓'.repeat(10)}xx`, 'd920', 32],
    ['33 bytes: str8', '✓'.repeat(11), 'd921', 33],
    ['256 bytes: str16', 'ü'.repeat(128), 'da0100', 256],
  ])('%s', (_label, text, header, size) => {
    const bytes = encode(text);
    expect(bytes.subarray(0, header.length / 2).toString('hex')).toBe(header);
    expect(bytes.length).toBe(header.length / 2 + size);
    expect(bytes.subarray(header.length / 2).toString('utf8')).toBe(text);
  });

  it('writes a lone surrogate (no valid UTF-8) as U+FFFD, like a TextEncoder', () => {
    expect(encode('\ud800x').toString('hex')).toBe('a4efbfbd78');
  });

  it('encodes text inside maps, leaving out undefined values', () => {
    expect(encode({ a: 'é'.repeat(16), b: null, c: undefined }).toString('hex')).toBe(
      `82a161d920${'c3a9'.repeat(16)}a162c0`,
    );
  });
});

describe('plain replies', () => {
  it('are encoded once and give the same bytes every time', () => {
    const first = encodeReply(okReply({ action_status: 'running' }));
    expect(encodeReply(okReply({ action_status: 'running' }))).toBe(first);
    expect(first.toString('hex')).toBe('82a6737461747573a26f6bad616374696f6e5f737461747573a772756e6e696e67');
  });

  it('are not confused with replies that carry log lines or feedback', () => {
    const plain = encodeReply(okReply({ action_status: 'success' }));
    const withFeedback = encodeReply(okReply({ action_status: 'success', feedback: 'done' }));
    expect(withFeedback).not.toEqual(plain);
    expect(encodeReply(okReply({ action_status: 'success' }))).toEqual(plain);
  });
});
