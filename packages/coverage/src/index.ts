/** Parameter sweeps (`scenario_variation`) and batch runs (`scenario_batch_execution`) of scenarios. */
export {};
