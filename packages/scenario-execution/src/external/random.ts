/**
 * `scenario_execution.external_methods.random`: one shared generator, like
 * Python's module-level `random`, with the same sequence for the same seed.
 */
import type { ArgValue } from '../shared/values.js';
import { PythonRandom } from './mersenne-twister.js';
import type { ExternalMethodModule } from './types.js';

/** The generator behind the scenario functions (exported for tests and plugins). */
export const sharedRandom = new PythonRandom();

function numberArg(args: Readonly<Record<string, ArgValue>>, name: string, fallback?: number): number {
  const value = args[name] ?? fallback;
  if (typeof value !== 'number') throw new TypeError(`'${name}' must be a number`);
  return value;
}

export const randomMethods: ExternalMethodModule = {
  seed: (args) => {
    sharedRandom.seed(numberArg(args, 'seed_value', 0));
    return null;
  },
  get_float: (args) => sharedRandom.uniform(numberArg(args, 'min_val'), numberArg(args, 'max_val')),
  get_int: (args) => sharedRandom.randint(numberArg(args, 'min_val'), numberArg(args, 'max_val')),
  get_random_list_element: (args) => {
    const list = args.elements_list;
    if (!Array.isArray(list) || list.length === 0) return null;
    return sharedRandom.choice(list as readonly ArgValue[]);
  },
};
