/** Parameter sweeps (`scenario_variation`) and batch runs (`scenario_batch_execution`) of scenarios. */
export { type BatchIO, batchCommand } from './batch/command.js';
export { type MergedResults, mergeResults, type ScenarioVerdict } from './batch/junit-merge.js';
export { generateVariations, MAX_VARIATIONS, type VariationOptions } from './variation/generate.js';
export { findVariationPoints, type VariationPoint } from './variation/points.js';
