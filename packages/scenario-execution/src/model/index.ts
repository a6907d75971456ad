/** The scenario model: declarations, types, units, expressions, resolution, parameter overrides. */
export type * from './model.js';
export {
  combineDimensions,
  formatDimension,
  formatNumber,
  formatValue,
  fromWire,
  NONE,
  sameDimension,
  toWire,
  typeName,
  zeroValue,
} from './values.js';
export { evaluate, evaluateToWire, initializeVariables, structDefaultValue, valuesEqual } from './evaluate.js';
export { BUNDLED_LIBRARIES, BUNDLED_LIBRARY_DIR, loadScenario, loadScenarioFromText } from './loader.js';
export type { LoadOptions } from './loader.js';
export { closest, didYouMean, editDistance } from '../language/suggest.js';
export { formatExpr, formatModel } from './format.js';
export { applyParameterOverrides, createParameterTemplate } from './overrides.js';
