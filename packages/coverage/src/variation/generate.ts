/**
 * `scenario_variation`: read an abstract scenario, make every concrete
 * scenario of its variation points, resolve each with the engine, then write
 * them all as `<output dir>/<name><index>.osc`. Nothing is written unless
 * every combination resolves.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import {
  discoverPlugins,
  externalMethodLookup,
  formatModel,
  type LoadOptions,
  loadScenarioFromText,
} from 'scenario-execution';
import { OscError, parse, SourceFile } from 'scenario-execution/language';
import { chosenValueText, combinationCount, concreteScenario, fieldText, fileText } from './concrete.js';
import { findVariationPoints } from './points.js';

/** Largest number of concrete scenarios one run writes (a guard against a mistyped list). */
export const MAX_VARIATIONS = 100_000;

export interface VariationOptions {
  readonly scenarioPath: string;
  /** Folder for the concrete scenarios (created when missing). */
  readonly outputDir: string;
  /** Log each combination's values. */
  readonly debug?: boolean;
  /** Log the resolved model of each concrete scenario. */
  readonly logModel?: boolean;
  /** Where log lines go (default: nowhere). */
  readonly log?: (level: 'INFO' | 'DEBUG', line: string) => void;
}

/**
 * Write the concrete scenarios; resolves to their paths, in index order.
 * @throws OscError for an unreadable or invalid scenario and for a combination that does not resolve.
 */
export async function generateVariations(options: VariationOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const path = options.scenarioPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OscError(`cannot read scenario file ${path}: ${fileError(error)}`, undefined);
  }
  const file = parse(new SourceFile(path, text));
  const points = findVariationPoints(file);
  for (const point of points) {
    const values = point.list.elements.map((_, i) => chosenValueText(point, i)).join(', ');
    log('INFO', `Variation point ${point.qualifiedName}: [${values}]`);
  }
  const emptyList = points.find((p) => p.list.elements.length === 0);
  if (emptyList) throw new OscError('a variation point needs at least one value', emptyList.list.loc);
  const count = combinationCount(points);
  if (count > MAX_VARIATIONS) {
    throw new OscError(`${count} combinations, more than ${MAX_VARIATIONS}: vary fewer points or values`, undefined);
  }

  const plugins = discoverPlugins({ scenarioDirectory: dirname(resolve(path)) });
  const loadOptions: LoadOptions = {
    libraryResolver: (name) => plugins.libraryPath(name),
    libraryNames: () => plugins.libraryNames(),
    externalMethods: externalMethodLookup(plugins),
  };
  const stem = parsePath(path).name;
  const outputs: { path: string; text: string }[] = [];
  // Bounded by MAX_VARIATIONS.
  for (let index = 0; index < count; index++) {
    const scenario = concreteScenario(file, points, index);
    const name = `${stem}${index}`;
    if (options.debug) for (const d of scenario.descriptions) log('DEBUG', `${name}: ${d}`);
    try {
      const model = await loadScenarioFromText(scenario.body, path, loadOptions);
      if (options.logModel) for (const line of formatModel(model).split('\n')) log('INFO', line);
    } catch (error) {
      if (!(error instanceof OscError)) throw error;
      const values = points
        .map((p, i) => `${fieldText(p)} == ${chosenValueText(p, scenario.combination[i] as number)}`)
        .join(', ');
      throw new OscError(`combination ${name} (${values}) does not resolve: ${error.message}`, error.location);
    }
    const outputPath = join(options.outputDir, `${name}.osc`);
    outputs.push({ path: outputPath, text: fileText(file, scenario, path, outputPath) });
  }
  try {
    mkdirSync(options.outputDir, { recursive: true });
  } catch (error) {
    throw new OscError(`cannot create output directory ${options.outputDir}: ${fileError(error)}`, undefined);
  }
  for (const output of outputs) {
    log('INFO', `Storing scenario in ${output.path}`);
    try {
      writeFileSync(output.path, output.text);
    } catch (error) {
      throw new OscError(`cannot write ${output.path}: ${fileError(error)}`, undefined);
    }
  }
  return outputs.map((o) => o.path);
}

/** Plain words for the file-system errors a user causes. */
function fileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file of that name is in the way';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return String(error);
}
