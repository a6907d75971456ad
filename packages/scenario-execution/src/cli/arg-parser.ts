/**
 * The one command-line parser of the project's commands (`scenario_execution`,
 * `scenario_execution_server`, the coverage tools): `node:util` `parseArgs`
 * for the tokens, with the checks and messages in one style:
 *
 *     error: option '--port': expected a port 0-65535, got 'x'
 *     usage: scenario_execution_server [options]  (see --help)
 *
 * and exit status 2. Node's own messages are never shown: they name the
 * option twice, suggest `--` and call a negative number "ambiguous".
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** One-letter alias (`p` for `-p`). */
  readonly short?: string;
  /** Name of the value in messages (`PORT`); default `VALUE`. */
  readonly metavar?: string;
  /**
   * A value that starts with '-' is normally a forgotten value (`--socket --verbose`);
   * negative numbers are always accepted, and values for which this returns true.
   */
  readonly acceptsDashValue?: (text: string) => boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** One option as given, in command-line order. */
export interface GivenOption {
  /** Long name, without dashes (`port`). */
  readonly name: string;
  /** As written (`-p` or `--port`), for messages. */
  readonly flag: string;
  /** The value of a string option. */
  readonly value?: string;
}

/** A mistake on the command line: the command prints it with its usage line and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `option '<flag>': <detail>`: the one wording of a mistake about one option. */
export function optionError(flag: string, detail: string): UsageError {
  return new UsageError(`option '${flag}': ${detail}`);
}

/** What a command prints on stderr for a usage error: the message, then its usage line. */
export function usageErrorText(message: string, usageLine: string): string {
  return `error: ${message}\n${usageLine}  (see --help)\n`;
}

/** Exit status of a usage error. */
export const USAGE_EXIT_STATUS = 2;

/** The parsed command line: the options in order, and the positional arguments. */
export class CommandLine {
  constructor(
    readonly given: readonly GivenOption[],
    readonly positionals: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.given.some((option) => option.name === name);
  }

  /** The flag as last written (`-c` or `--connect-timeout`), for messages; the long form when not given. */
  flag(name: string): string {
    return this.last(name)?.flag ?? `--${name}`;
  }

  /** The last value given (an option given twice: the last one wins). */
  value(name: string): string | undefined {
    return this.last(name)?.value;
  }

  /** Every value of a repeatable option, in order. */
  values(name: string): string[] {
    const values: string[] = [];
    for (const option of this.given) if (option.name === name && option.value !== undefined) values.push(option.value);
    return values;
  }

  private last(name: string): GivenOption | undefined {
    for (let i = this.given.length - 1; i >= 0; i--) {
      const option = this.given[i] as GivenOption;
      if (option.name === name) return option;
    }
    return undefined;
  }
}

const NEGATIVE_NUMBER = /^-\.?\d/;

export interface ParseSettings {
  /**
   * Options come first: the first positional argument (or `--`) ends them,
   * and every argument from there on is a positional, as written. For a
   * command that runs another command (`-- cmd -o DIR`): that command's
   * options are not this one's. Python's argparse calls it `REMAINDER`.
   */
  readonly optionsFirst?: boolean;
}

/**
 * Parse `argv` (the arguments after the program) against `specs`. Throws
 * UsageError for an unknown option, a missing value, or a value given to a
 * flag that takes none. Values are not checked here: the command does that
 * (with `optionError`).
 */
export function parseCommandLine(
  argv: readonly string[],
  specs: OptionSpecs,
  settings: ParseSettings = {},
): CommandLine {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string; multiple: true }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, multiple: true, ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  // Not strict: the checks below give our messages (and accept `-s -1`).
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const given: GivenOption[] = [];
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (settings.optionsFirst === true) {
        // After `--` too, the first positional's index is where the rest starts.
        positionals.push(...argv.slice(token.index));
        break;
      }
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option '${token.rawName}'`);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw optionError(token.rawName, 'takes no value');
      given.push({ name: token.name, flag: token.rawName });
      continue;
    }
    const value = token.value;
    const missing =
      value === undefined ||
      (!token.inlineValue &&
        value.startsWith('-') &&
        value.length > 1 &&
        !NEGATIVE_NUMBER.test(value) &&
        !(spec.acceptsDashValue?.(value) ?? false));
    if (missing) throw optionError(token.rawName, `needs a value (${spec.metavar ?? 'VALUE'})`);
    given.push({ name: token.name, flag: token.rawName, value });
  }
  return new CommandLine(given, positionals);
}

/**
 * A number of seconds >= 0 (`0.5`, `10`), or a UsageError naming the option.
 * `positive`: 0 is not allowed either.
 */
export function parseSeconds(flag: string, text: string, positive = false): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw optionError(flag, `expected a number of seconds ${positive ? '> 0' : '>= 0'}, got '${text}'`);
  }
  return value;
}
