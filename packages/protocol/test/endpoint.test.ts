import { describe, expect, it } from 'vitest';
import { bindAddress, DEFAULT_PORT, parseEndpoint } from '../src/endpoint.js';

describe('parseEndpoint (PROTOCOL.md table)', () => {
  it.each([
    ['tcp://10.0.0.1:9000', 'tcp://10.0.0.1:9000'],
    ['ipc:///tmp/se.sock', 'ipc:///tmp/se.sock'],
    ['/tmp/se.sock', 'ipc:///tmp/se.sock'],
    ['./se.sock', 'ipc://./se.sock'],
    ['127.0.0.1:7613', 'tcp://127.0.0.1:7613'],
    ['robot.local:8000', 'tcp://robot.local:8000'],
    ['[::1]:7000', 'tcp://[::1]:7000'],
    ['127.0.0.1', 'tcp://127.0.0.1:7613'],
    ['localhost', 'tcp://localhost:7613'],
    ['se.sock', 'tcp://se.sock:7613'],
  ])('%s → %s', (written, address) => {
    expect(parseEndpoint(written)).toBe(address);
  });

  it('uses the default port 7613', () => {
    expect(DEFAULT_PORT).toBe(7613);
    expect(parseEndpoint('host').endsWith(`:${DEFAULT_PORT}`)).toBe(true);
  });
});

describe('bindAddress', () => {
  it.each([
    [{}, 'tcp://*:7613'],
    [{ port: 9000 }, 'tcp://*:9000'],
    [{ port: 9000, host: '127.0.0.1' }, 'tcp://127.0.0.1:9000'],
    [{ port: 9000, host: '::1' }, 'tcp://[::1]:9000'],
    [{ port: 9000, socketPath: '/tmp/x.sock' }, 'ipc:///tmp/x.sock'],
  ])('%j → %s', (options, address) => {
    expect(bindAddress(options)).toBe(address);
  });
});
