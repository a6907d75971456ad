/**
 * What a test file starts (stub servers, remote behaviours) is closed after each
 * test, last started first, whether the test passed or not.
 */
import { afterEach } from 'vitest';
import type { RemoteActionBehaviour } from '../../src/remote-behaviour.js';
import { type StubHandler, StubServer } from './stub-server.js';

export interface TestScope {
  /** Runs `cleanup` after the current test. */
  defer(cleanup: () => unknown): void;
  /** A stub server answering with `handler`, closed after the test. */
  startServer(handler: StubHandler): Promise<StubServer>;
  /** `behaviour`, shut down after the test. */
  track(behaviour: RemoteActionBehaviour): RemoteActionBehaviour;
}

/** Call once at the top of a test file. */
export function useTestScope(): TestScope {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => unknown) => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    async startServer(handler) {
      const server = await StubServer.start(handler);
      defer(() => server.close());
      return server;
    },
    track(behaviour) {
      defer(() => behaviour.shutdown());
      return behaviour;
    },
  };
}
