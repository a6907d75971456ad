/**
 * At most {@link BURST} requests start in one turn of the event loop; the
 * next ones wait for the following turns, a burst each. A tick that asks 200
 * remote actions for their status (or a scenario end that resets 100) would
 * otherwise spend all its sends (some 60 µs of CPU each in zeromq.js) before
 * the event loop could read a reply or see the tick's reply budget run out.
 * Replies are read between the bursts; one action's calls stay in order.
 * A burst of 16 takes about a millisecond: the budget of a tick (4 ms) ends
 * within about that much of its time.
 */
export const BURST = 16;

let startedThisTurn = 0;
let turnScheduled = false;
const waiting: (() => void)[] = [];

/** Undefined when a request may start now; else a promise of its turn. */
export function sendTurn(): Promise<void> | undefined {
  if (startedThisTurn < BURST && waiting.length === 0) {
    startedThisTurn++;
    scheduleTurn();
    return undefined;
  }
  scheduleTurn();
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
  });
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}

/** A new turn: its burst of waiting requests starts. */
function nextTurn(): void {
  turnScheduled = false;
  const burst = waiting.splice(0, BURST);
  startedThisTurn = burst.length;
  for (const start of burst) start();
  if (startedThisTurn > 0) scheduleTurn();
}
