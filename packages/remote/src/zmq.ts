/**
 * zeromq.js, loaded with `require`: it is a CommonJS package, and importing
 * it as an ES module first has Node scan its source for the names it exports,
 * some 15 ms of CPU at every start of a process that uses a remote action
 * (the loading itself takes as long again). Same module, same global context.
 */
import { createRequire } from 'node:module';

export const zmq = createRequire(import.meta.url)('zeromq') as typeof import('zeromq');
