/**
 * Requests started in one turn of the event loop are limited to a burst; the
 * next ones start in the following turns, in the order they asked.
 */
import { describe, expect, it } from 'vitest';
import { BURST, sendTurn } from '../src/send-pacing.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('send pacing', () => {
  it('lets a burst of requests start in one turn and the next ones a turn later, in order', async () => {
    await nextTurn();
    const started: number[] = [];
    const count = 2 * BURST + 5;
    for (let i = 0; i < count; i++) {
      const turn = sendTurn();
      if (turn === undefined) started.push(i);
      else void turn.then(() => started.push(i));
    }
    expect(started).toEqual([...Array(BURST).keys()]);
    await nextTurn();
    expect(started).toEqual([...Array(2 * BURST).keys()]);
    await nextTurn();
    expect(started).toEqual([...Array(count).keys()]);
  });

  it('starts a request at once again in a later turn, once none waits', async () => {
    await nextTurn();
    await nextTurn();
    expect(sendTurn()).toBeUndefined();
  });
});
