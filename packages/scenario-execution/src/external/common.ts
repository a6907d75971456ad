/**
 * `scenario_execution.external_methods.common`: directories of the current run.
 * Like the engine's configuration singleton, the CLI (or server) sets them
 * once per run with {@link configureExternalMethods}.
 */
import { resolve } from 'node:path';
import type { ExternalMethodModule } from './types.js';

interface RunDirectories {
  scenarioFileDirectory: string | undefined;
  outputDirectory: string | undefined;
}

const directories: RunDirectories = { scenarioFileDirectory: undefined, outputDirectory: undefined };

/** Set the directories `common.get_*_directory()` return (made absolute; undefined → None). */
export function configureExternalMethods(options: {
  readonly scenarioFileDirectory?: string | undefined;
  readonly outputDirectory?: string | undefined;
}): void {
  directories.scenarioFileDirectory = options.scenarioFileDirectory
    ? resolve(options.scenarioFileDirectory)
    : undefined;
  directories.outputDirectory = options.outputDirectory ? resolve(options.outputDirectory) : undefined;
}

export const commonMethods: ExternalMethodModule = {
  get_scenario_file_directory: () => directories.scenarioFileDirectory ?? null,
  get_output_directory: () => directories.outputDirectory ?? null,
};
