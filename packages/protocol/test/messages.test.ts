import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/codec.js';
import {
  decodeReply,
  decodeRequest,
  encodeReply,
  encodeRequest,
  errorReply,
  makeRequest,
  okReply,
  parseReply,
  parseRequest,
} from '../src/messages.js';

const ID = 'de690b35-668c-482e-ac97-9701db952877';

describe('building requests', () => {
  it('lays payload keys out in wire order whatever the input order', () => {
    const request = makeRequest('setup', {
      scenario_file_directory: '/s',
      output_dir: null,
      tick_period: 0.1,
      action_id: ID,
    });
    expect(Object.keys(request.payload)).toEqual(['action_id', 'tick_period', 'output_dir', 'scenario_file_directory']);
    const bytes = encodeRequest(request);
    const viaPlainEncode = encode({
      cmd: 'setup',
      payload: { action_id: ID, tick_period: 0.1, output_dir: null, scenario_file_directory: '/s' },
    });
    expect(bytes).toEqual(viaPlainEncode);
  });

  it('lays keys out in wire order when encoding a request not built by makeRequest', () => {
    // Out of order, with extra keys after the known ones and undefined values left out.
    const request = {
      cmd: 'update',
      payload: { extra: 1, skipped: undefined, action_id: 'a', constructor: 2, '7': 3 },
    } as unknown as Parameters<typeof encodeRequest>[0];
    // The integer-like key first (JS key order), then the wire-order keys, then the others.
    expect(encodeRequest(request).toString('hex')).toBe(
      encode({ cmd: 'update', payload: { '7': 3, action_id: 'a', extra: 1, constructor: 2 } }).toString('hex'),
    );
    const inOrder = { cmd: 'update', payload: { action_id: 'a', extra: 1 } } as unknown as Parameters<
      typeof encodeRequest
    >[0];
    expect(encodeRequest(inOrder)).toEqual(encode(inOrder));
  });

  it('keeps payload keys named like Object.prototype members, "__proto__" among them', () => {
    // JSON.parse makes "__proto__" an own key, as our decoder does with a received map.
    const payload = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "action_id": "a", "toString": 3}');
    for (const request of [makeRequest('update', payload), { cmd: 'update' as const, payload }]) {
      const decoded = decode(encodeRequest(request));
      if (!decoded.ok) throw new Error(decoded.error);
      const sent = decoded.value as { payload: Record<string, unknown> };
      expect(Object.getPrototypeOf(sent.payload)).toBe(Object.prototype);
      expect(Object.entries(sent.payload)).toEqual([
        ['action_id', 'a'],
        ['__proto__', { x: 1 }],
        ['constructor', 2],
        ['toString', 3],
      ]);
    }
  });

  it('round-trips every command through bytes', () => {
    const requests = [
      makeRequest('init', { action_id: ID, plugin_key: 'log', init_args: {}, output_dir: null }),
      makeRequest('setup', { action_id: ID, tick_period: 0.1, output_dir: '/o', scenario_file_directory: '/s' }),
      makeRequest('execute', { action_id: ID, exec_args: { msg: 'hi', signal: ['sigterm', 15] } }),
      makeRequest('update', { action_id: ID }),
      makeRequest('terminate', { action_id: ID, new_status: 'FAILURE' }),
      makeRequest('reset', { action_id: ID }),
      makeRequest('reset', {}),
      makeRequest('heartbeat', {}),
    ];
    for (const request of requests) {
      expect(decodeRequest(encodeRequest(request))).toEqual({ ok: true, value: request });
    }
  });
});

describe('parsing requests', () => {
  it('fills defaults the Python server assumes', () => {
    expect(parseRequest({ cmd: 'init', payload: { action_id: 'a', plugin_key: 'log' } })).toEqual({
      ok: true,
      value: { cmd: 'init', payload: { action_id: 'a', plugin_key: 'log', init_args: {}, output_dir: null } },
    });
    expect(parseRequest({ cmd: 'setup', payload: { action_id: 'a', tick_period: null } })).toEqual({
      ok: true,
      value: {
        cmd: 'setup',
        payload: { action_id: 'a', tick_period: null, output_dir: null, scenario_file_directory: '' },
      },
    });
    expect(parseRequest({ cmd: 'heartbeat' })).toEqual({ ok: true, value: { cmd: 'heartbeat', payload: {} } });
    expect(parseRequest({ cmd: 'reset', payload: { action_id: '' } })).toEqual({
      ok: true,
      value: { cmd: 'reset', payload: {} },
    });
    expect(parseRequest({ cmd: 'terminate', payload: { action_id: 'a', new_status: 'bogus' } })).toEqual({
      ok: true,
      value: { cmd: 'terminate', payload: { action_id: 'a', new_status: 'INVALID' } },
    });
  });

  it("answers an unknown command with the Python server's message", () => {
    expect(parseRequest({ cmd: 'bogus', payload: {} })).toEqual({
      ok: false,
      error: "Unknown command: 'bogus'",
      cmd: 'bogus',
      actionId: undefined,
    });
  });

  it.each([
    [[1, 2], /request must be a map, got array/],
    [{ payload: {} }, /'cmd' must be text, got missing/],
    [{ cmd: 7 }, /'cmd' must be text, got number/],
    [{ cmd: 'update', payload: [] }, /'update' payload must be a map, got array/],
    [{ cmd: 'update', payload: {} }, /'action_id' must be text, got missing/],
    [{ cmd: 'update', payload: { action_id: 5 } }, /'action_id' must be text, got number/],
    [{ cmd: 'init', payload: { action_id: 'a' } }, /'plugin_key' must be text/],
    [{ cmd: 'init', payload: { action_id: 'a', plugin_key: 'x', init_args: [] } }, /'init_args' must be a map/],
    [{ cmd: 'execute', payload: { action_id: 'a', exec_args: 'x' } }, /'exec_args' must be a map, got string/],
    [{ cmd: 'setup', payload: { action_id: 'a', tick_period: 'fast' } }, /'tick_period' must be a number/],
  ])('rejects %j', (value, message) => {
    const result = parseRequest(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('tells which action a malformed request was about', () => {
    const result = parseRequest({ cmd: 'execute', payload: { action_id: 'abc', exec_args: 3 } });
    expect(result).toMatchObject({ ok: false, cmd: 'execute', actionId: 'abc' });
  });

  it('does not throw on undecodable bytes', () => {
    const result = decodeRequest(Buffer.from('c167617262616765', 'hex'));
    expect(result.ok).toBe(false);
  });
});

describe('replies', () => {
  it('encode exactly like the Python server without extras', () => {
    expect(encodeReply(okReply()).toString('hex')).toBe('81a6737461747573a26f6b');
    expect(encodeReply(okReply({ log: [], feedback: '' })).toString('hex')).toBe('81a6737461747573a26f6b');
    expect(encodeReply(okReply({ action_status: 'success' }))).toEqual(
      encode({ status: 'ok', action_status: 'success' }),
    );
    expect(encodeReply(errorReply('boom'))).toEqual(encode({ status: 'error', message: 'boom' }));
  });

  it('carry log lines and feedback as extra keys after the standard ones', () => {
    const reply = okReply({ action_status: 'running', log: [{ level: 'info', msg: 'hello' }], feedback: 'pid 12' });
    const decoded = decode(encodeReply(reply));
    expect(decoded.ok && Object.keys(decoded.value as object)).toEqual(['status', 'action_status', 'log', 'feedback']);
    expect(decodeReply(encodeReply(reply))).toEqual({ ok: true, value: reply });
  });

  it('are parsed leniently like the Python client', () => {
    expect(parseReply({ status: 'error' })).toEqual({ ok: true, value: { status: 'error', message: 'unknown error' } });
    expect(parseReply({ status: 'ok', extra: 1 })).toEqual({ ok: true, value: { status: 'ok' } });
    expect(parseReply({ status: 'ok', log: [{ level: 'loud', msg: 'x' }, 'junk'] })).toEqual({
      ok: true,
      value: { status: 'ok', log: [{ level: 'info', msg: 'x' }] },
    });
  });

  it.each([[{ status: 'maybe' }], [{ status: 'ok', action_status: 'sideways' }], ['ok'], [null]])(
    'rejects %j',
    (value) => {
      expect(parseReply(value).ok).toBe(false);
    },
  );
});
