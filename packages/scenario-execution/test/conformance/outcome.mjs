/**
 * What a conformance run is compared on, shared by the test (our engine,
 * in-process) and by record.mjs (both engines as commands).
 *
 * A fixture is an .osc file whose leading comment lines may say how to run it:
 *   # args: <extra arguments>   appended after `-s 0.01`; a word ending in .yaml names a file beside the fixture
 *   # target: <file name>       the scenario argument instead of the fixture itself (e.g. a missing file)
 *   # template: yes             run with --create-scenario-parameter-file-template and read the written file
 *   # compare: full|shape|info|info-count|exit
 *                               what must match: all log records (default); all records, but failure
 *                               trees only by their node names (statuses depend on the Python engine's
 *                               timing, e.g. whether a short process ends in the tick it started in);
 *                               only INFO records; only the number of INFO records; or only the exit
 *                               status (for runs where the Python engine crashes with a traceback)
 *   # deliberate: <id> <reason> our outcome differs from the Python engine's on purpose (the id names
 *                               the entry in /work/notes/discrepancies.md, the reason the entry in
 *                               docs/differences.md); the test asserts our outcome, recorded in
 *                               deliberate.ts, and that it still differs from the Python one in
 *                               expected.ts. The comment lines after it say what Python does.
 */

/** Seconds between ticks for every fixture: the outcomes do not depend on it, only the run time does. */
export const STEP_DURATION = '0.01';

/**
 * The file a template fixture writes its parameters to (inside the run directory).
 * @param {string} fixtureName
 * @returns {string}
 */
export function templateOutput(fixtureName) {
  return `${fixtureName}.template-output.yaml`;
}

/**
 * @typedef {object} FixtureOptions
 * @property {string[]} args extra arguments, .yaml words still relative to the fixture directory
 * @property {string | undefined} target scenario argument replacing the fixture file
 * @property {boolean} template whether the run writes a parameter file template
 * @property {'full' | 'shape' | 'info' | 'info-count' | 'exit'} compare what has to match
 * @property {string | undefined} deliberate why our outcome differs from Python's on purpose
 */

const COMPARE_MODES = ['full', 'shape', 'info', 'info-count', 'exit'];

/**
 * Read the `# key: value` header of a fixture.
 * @param {string} text
 * @returns {FixtureOptions}
 */
export function fixtureOptions(text) {
  /** @type {FixtureOptions} */
  const options = { args: [], target: undefined, template: false, compare: 'full', deliberate: undefined };
  for (const line of text.split('\n')) {
    const match = /^#\s*(args|target|template|compare|deliberate):\s*(.*?)\s*$/.exec(line);
    if (!match) {
      if (line.startsWith('#')) continue;
      break;
    }
    const [, key, value] = match;
    if (key === 'args') options.args.push(...value.split(/\s+/).filter((w) => w !== ''));
    else if (key === 'target') options.target = value;
    else if (key === 'template') options.template = value === 'yes';
    else if (key === 'deliberate') options.deliberate = value;
    else if (COMPARE_MODES.includes(value)) options.compare = /** @type {FixtureOptions['compare']} */ (value);
    else throw new Error(`unknown compare mode '${value}'`);
  }
  return options;
}

/**
 * Command-line arguments for one fixture, with paths made absolute.
 * @param {string} fixtureName file name of the fixture without `.osc`
 * @param {FixtureOptions} options
 * @param {(name: string) => string} inRunDir absolute path of a file name in the run directory
 * @returns {string[]}
 */
export function fixtureArgv(fixtureName, options, inRunDir) {
  const argv = ['-s', STEP_DURATION];
  for (const word of options.args) argv.push(word.endsWith('.yaml') ? inRunDir(word) : word);
  if (options.template) {
    argv.push(
      '--create-scenario-parameter-file-template',
      '--scenario-parameter-file',
      inRunDir(templateOutput(fixtureName)),
    );
  }
  argv.push(inRunDir(options.target ?? `${fixtureName}.osc`));
  return argv;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const RECORD_START = /^\[scenario_execution\] \[([A-Z]+)\] ?(.*)$/;

/**
 * Split console output into log records (`LEVEL message`, continuation lines
 * joined with newlines), dropping what depends on timing or is not compared.
 * @param {string} stdout
 * @returns {string[]}
 */
export function logRecords(stdout) {
  /** @type {string[]} */
  const records = [];
  let current = /** @type {string | undefined} */ (undefined);
  const flush = () => {
    if (current !== undefined) records.push(current.replace(/\n+$/, ''));
    current = undefined;
  };
  for (const raw of stdout.replace(ANSI, '').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const start = RECORD_START.exec(line);
    if (start) {
      flush();
      current = `${start[1]} ${start[2]}`;
    } else if (current !== undefined) {
      current += `\n${line}`;
    } else if (line !== '') {
      records.push(`PRINT ${line}`);
    }
  }
  flush();
  return records.filter((r) => keepRecord(r)).map((r) => maskTiming(r));
}

/**
 * @param {string} record
 * @returns {boolean}
 */
function keepRecord(record) {
  if (record.startsWith('DEBUG ')) return false;
  if (record.startsWith('WARN Tick too long')) return false;
  // The engine's report of a file it could not load: its wording is engine-specific
  // (ours is `file:line:col: error: ...` on stderr); that the load failed is compared instead.
  if (/^ERROR Parsing of .*: parsing failed/.test(record)) return false;
  // Debugging print() calls left in the Python engine's parameter override code.
  if (record.startsWith('PRINT Applying parameter overrides for scenario')) return false;
  return true;
}

/**
 * @param {string} record
 * @returns {string}
 */
function maskTiming(record) {
  return record.replace(/\[remaining: [-0-9.e]+s\]/g, '[remaining: *s]');
}

/**
 * @typedef {object} Outcome
 * @property {number} exit
 * @property {boolean} loaded whether the scenario got to run (an `Executing scenario` record)
 * @property {string[]} log normalized log records
 * @property {unknown} [template] the parameters written by a template run (parsed YAML), null when no file
 */

/**
 * The part of an outcome that `compare` says must match.
 * @param {Outcome} outcome
 * @param {FixtureOptions['compare']} compare
 * @returns {Record<string, unknown>}
 */
export function comparable(outcome, compare) {
  /** @type {Record<string, unknown>} */
  const key = { exit: outcome.exit };
  if (compare === 'exit') return key;
  key.loaded = outcome.loaded;
  if (compare === 'full') key.log = outcome.log;
  else if (compare === 'shape') key.log = outcome.log.map(treeShape);
  else if (compare === 'info') key.log = outcome.log.filter((r) => r.startsWith('INFO '));
  else if (compare === 'info-count') key.infoCount = outcome.log.filter((r) => r.startsWith('INFO ')).length;
  if ('template' in outcome) key.template = outcome.template;
  return key;
}

/**
 * A written parameter file as one comparable line (see {@link yamlRepr}), or null when there is none.
 * The Python engine writes enum values as `!!python/tuple [name, number]`; the tag is dropped.
 * @param {string | undefined} text
 * @param {(text: string, options: object) => unknown} parseYaml the `parse` function of the yaml package
 * @returns {string | null}
 */
export function templateRepr(text, parseYaml) {
  if (text === undefined) return null;
  return yamlRepr(parseYaml(text.replaceAll('!!python/tuple', ''), { intAsBigInt: true }));
}

/**
 * A parsed YAML document as one comparable line: keys sorted (Python's yaml.dump
 * sorts them), ints and floats told apart (`1` vs `1.0`) as Python prints them.
 * Parse with `intAsBigInt: true` so that integers arrive as bigint.
 * @param {unknown} value
 * @returns {string}
 */
export function yamlRepr(value) {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}.0` : String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(yamlRepr).join(', ')}]`;
  const entries = Object.entries(/** @type {Record<string, unknown>} */ (value)).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${yamlRepr(v)}`).join(', ')}}`;
}

/**
 * A record with the lines after its first reduced to tree structure and node names.
 * @param {string} record
 * @returns {string}
 */
function treeShape(record) {
  const [first = '', ...rest] = record.split('\n');
  return [first, ...rest.map((line) => line.replace(/ \[.*$/, ''))].join('\n');
}

/**
 * @param {number} exit
 * @param {string} stdout
 * @param {string} runDir the directory the fixture ran in; written as `<dir>` in the log
 * @param {unknown} [template]
 * @returns {Outcome}
 */
export function makeOutcome(exit, stdout, runDir, template) {
  const log = logRecords(stdout.replaceAll(runDir, '<dir>'));
  /** @type {Outcome} */
  const outcome = { exit, loaded: log.some((r) => r.startsWith('INFO Executing scenario ')), log };
  if (template !== undefined) outcome.template = template;
  return outcome;
}
