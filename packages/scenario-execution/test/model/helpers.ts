/** Shared helpers for the model tests. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { OscError } from '../../src/language/diagnostics.js';
import type { LoadOptions, OscModel, Value, VariableStore } from '../../src/model/index.js';
import { evaluate, loadScenarioFromText } from '../../src/model/index.js';
import type { ArgValue } from '../../src/actions/api.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Load scenario text as if it were the file `fixtures/<name>`. */
export function load(text: string, options: LoadOptions = {}, name = 'test.osc'): Promise<OscModel> {
  return loadScenarioFromText(text, join(FIXTURES, name), options);
}

/** Expect loading to fail with an OscError whose message matches, at line:column. */
export async function expectError(
  text: string,
  message: string | RegExp,
  line: number,
  column: number,
  options: LoadOptions = {},
): Promise<OscError> {
  let error: unknown;
  try {
    await load(text, options);
  } catch (e) {
    error = e;
  }
  expect(error, 'loading should fail').toBeInstanceOf(OscError);
  const oscError = error as OscError;
  if (typeof message === 'string') expect(oscError.message).toBe(message);
  else expect(oscError.message).toMatch(message);
  expect({ line: oscError.location?.line, column: oscError.location?.column }).toEqual({ line, column });
  return oscError;
}

/** A variable store backed by a Map. */
export class MapStore implements VariableStore {
  readonly values = new Map<string, ArgValue>();
  get(name: string): ArgValue | undefined {
    return this.values.get(name);
  }
  set(name: string, value: ArgValue): void {
    this.values.set(name, value);
  }
}

/** Evaluate the default value of global `name`. */
export function globalValue(model: OscModel, name: string, store: VariableStore = new MapStore()): Value {
  const decl = model.declarations.globals.get(name);
  if (!decl?.value) throw new Error(`global ${name} has no value`);
  return evaluate(decl.value, store);
}
