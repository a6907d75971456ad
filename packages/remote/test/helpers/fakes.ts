/** Small stand-ins for what the engine gives the remote modifier. */
import { createServer } from 'node:net';
import type { ActionLogger, ArgValue, SetupContext } from 'scenario-execution';
import { Status } from 'scenario-execution';
import type { RemoteActionInfo } from '../../src/remote-action-client.js';
import { RemoteActionBehaviour, type RemoteBehaviourOptions } from '../../src/remote-behaviour.js';

export interface LoggedLine {
  readonly level: keyof ActionLogger;
  readonly msg: string;
}

export function collectingLogger(lines: LoggedLine[] = []): ActionLogger & { lines: LoggedLine[] } {
  return {
    lines,
    debug: (msg) => lines.push({ level: 'debug', msg }),
    info: (msg) => lines.push({ level: 'info', msg }),
    warn: (msg) => lines.push({ level: 'warn', msg }),
    error: (msg) => lines.push({ level: 'error', msg }),
  };
}

export function actionInfo(name: string, args: () => Record<string, ArgValue>): RemoteActionInfo {
  return { name, definition: undefined, resolveArgs: args };
}

export const setupContext: SetupContext = {
  tickPeriod: 0.1,
  scenarioFileDirectory: '/home/user/scenarios',
  outputDir: undefined,
};

export function remoteBehaviour(
  address: string,
  action: RemoteActionInfo,
  options: Partial<RemoteBehaviourOptions> = {},
): RemoteActionBehaviour {
  return new RemoteActionBehaviour(`${action.name}@remote(${address})`, {
    endpoint: address,
    address,
    action,
    logger: collectingLogger(),
    heartbeatFailureTimeout: 3,
    setupTimeout: 5,
    ...options,
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tick a leaf every `periodMs` until it finishes, as the tick loop would;
 * bounded by `maxTicks`. Returns the final status and the tick count.
 */
export async function runToEnd(
  behaviour: RemoteActionBehaviour,
  periodMs = 100,
  maxTicks = 200,
): Promise<{ status: Status; ticks: number }> {
  for (let ticks = 1; ticks <= maxTicks; ticks++) {
    const status = await behaviour.tick();
    if (status !== Status.RUNNING) return { status, ticks };
    await sleep(periodMs);
  }
  throw new Error(`'${behaviour.name}' still running after ${maxTicks} ticks`);
}

/** Tick several leaves side by side (as a parallel does) until all finished. */
export async function runSideBySide(behaviours: readonly RemoteActionBehaviour[], periodMs = 100, maxTicks = 200) {
  const done = new Map<RemoteActionBehaviour, Status>();
  for (let tick = 0; tick < maxTicks && done.size < behaviours.length; tick++) {
    const running = behaviours.filter((b) => !done.has(b));
    const statuses = await Promise.all(running.map((b) => b.tick()));
    running.forEach((b, i) => {
      if (statuses[i] !== Status.RUNNING) done.set(b, statuses[i] as Status);
    });
    await sleep(periodMs);
  }
  return behaviours.map((b) => done.get(b));
}

/** A TCP port on 127.0.0.1 that nothing listens on (just released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
