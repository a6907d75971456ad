/** The server's standard output sink: one write per turn of the event loop, nothing lost at exit. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stdoutSink } from '../src/log.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('stdoutSink', () => {
  it('writes the lines of one turn in one write, in order, after the turn', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    stdoutSink('first', 'info');
    stdoutSink('second', 'warn');
    stdoutSink('third', 'error');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['first\nsecond\nthird\n']);
    stdoutSink('later', 'info');
    await turn();
    expect(writes).toEqual(['first\nsecond\nthird\n', 'later\n']);
  });

  it('writes at once when a turn has logged a lot (64 KiB), and the rest after the turn', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const line = 'x'.repeat(1023);
    for (let i = 0; i < 70; i++) stdoutSink(line, 'info');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(`${line}\n`.repeat(64));
    await turn();
    expect(writes.join('')).toBe(`${line}\n`.repeat(70));
  });

  it('writes what is pending when the process exits', () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    stdoutSink('last words', 'error');
    process.emit('exit', 0);
    expect(writes).toEqual(['last words\n']);
  });
});
