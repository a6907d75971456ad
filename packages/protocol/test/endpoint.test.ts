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
    ['::1', 'tcp://[::1]:7613'],
    ['[::1]', 'tcp://[::1]:7613'],
    ['fe80::1%eth0', 'tcp://[fe80::1%eth0]:7613'],
    ['tcp://[::1]:7000', 'tcp://[::1]:7000'],
  ])('%s → %s', (written, address) => {
    expect(parseEndpoint(written)).toBe(address);
  });

  it('uses the default port 7613', () => {
    expect(DEFAULT_PORT).toBe(7613);
    expect(parseEndpoint('host').endsWith(`:${DEFAULT_PORT}`)).toBe(true);
  });
});

describe('parseEndpoint refuses what ZeroMQ cannot connect to', () => {
  it.each([
    ['host:notaport', "port 'notaport' is not a number from 1 to 65535"],
    ['host:0', "port '0' is not a number from 1 to 65535"],
    ['host:70000', "port '70000' is not a number from 1 to 65535"],
    ['host:', 'no port in tcp://host:'],
    ['tcp://host', 'no port in tcp://host'],
    [':7000', 'no host in tcp://:7000'],
    ['a b:1', "'a b' is not a host name or IP address"],
    ['[zz::1]:7000', "'[zz::1]' is not a host name or IP address"],
    ['udp://h:1', "unsupported transport 'udp://' (use tcp:// or ipc://)"],
    ['tcp://*:7000', "'*' is not a host name or IP address"],
    ['ipc://', 'no socket path after ipc://'],
  ])('%s: %s', (written, problem) => {
    expect(() => parseEndpoint(written)).toThrow(problem);
  });
});

describe('bindAddress', () => {
  it.each([
    [{}, 'tcp://*:7613'],
    [{ port: 9000 }, 'tcp://*:9000'],
    [{ port: 9000, host: '127.0.0.1' }, 'tcp://127.0.0.1:9000'],
    [{ port: 9000, host: '::1' }, 'tcp://[::1]:9000'],
    [{ port: 9000, host: '[::1]' }, 'tcp://[::1]:9000'],
    [{ port: 9000, socketPath: '/tmp/x.sock' }, 'ipc:///tmp/x.sock'],
  ])('%j → %s', (options, address) => {
    expect(bindAddress(options)).toBe(address);
  });
});
