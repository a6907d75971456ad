import type { ArgValue } from '../shared/values.js';

/**
 * An external method as scenarios call it (`def f(...) is external pkg.mod.f()`):
 * arguments by parameter name (Python's keyword arguments), in wire form.
 */
export type ExternalMethod = (args: Readonly<Record<string, ArgValue>>) => ArgValue | undefined;

/** A module of external methods: function name → function. */
export type ExternalMethodModule = Readonly<Record<string, ExternalMethod>>;
