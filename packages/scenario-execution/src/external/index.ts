/** Built-in external methods, keyed by the Python module paths used in `osc.helpers`. */
import { commonMethods } from './common.js';
import { randomMethods } from './random.js';
import type { ExternalMethodModule } from './types.js';

export const builtinExternalMethods: Readonly<Record<string, ExternalMethodModule>> = {
  'scenario_execution.external_methods.random': randomMethods,
  'scenario_execution.external_methods.common': commonMethods,
};

export { randomMethods, sharedRandom } from './random.js';
export { commonMethods, configureExternalMethods } from './common.js';
export { PythonRandom } from './mersenne-twister.js';
export type { ExternalMethod, ExternalMethodModule } from './types.js';
