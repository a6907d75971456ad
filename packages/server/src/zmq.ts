/**
 * zeromq.js, loaded with `require`, as the remote client loads it: it is a
 * CommonJS package, and importing it as an ES module has Node first scan its
 * source for the names it exports, at every start, `--check` included (a
 * probe every few seconds): a check takes 0.96 × the time so. The same module
 * either way.
 */
import { createRequire } from 'node:module';

export const zmq = createRequire(import.meta.url)('zeromq') as typeof import('zeromq');
