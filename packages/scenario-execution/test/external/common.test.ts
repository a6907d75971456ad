import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinExternalMethods, commonMethods, configureExternalMethods } from '../../src/external/index.js';

describe('common external methods', () => {
  it('return the configured directories as absolute paths, None when unset', () => {
    configureExternalMethods({ scenarioFileDirectory: 'scenarios', outputDirectory: undefined });
    expect(commonMethods.get_scenario_file_directory?.({})).toBe(resolve('scenarios'));
    expect(commonMethods.get_output_directory?.({})).toBeNull();
    configureExternalMethods({ scenarioFileDirectory: '/a/b', outputDirectory: '/out' });
    expect(commonMethods.get_scenario_file_directory?.({})).toBe('/a/b');
    expect(commonMethods.get_output_directory?.({})).toBe('/out');
  });

  it('are registered under the Python module path', () => {
    expect(builtinExternalMethods['scenario_execution.external_methods.common']).toBe(commonMethods);
  });
});
