/**
 * The launch command of a batch: a program and arguments in which
 * `{SCENARIO}` stands for the scenario file and `{OUTPUT_DIR}` for the
 * scenario's output folder. Both must occur (in any argument, any number of
 * times, also inside a longer argument such as `--out={OUTPUT_DIR}`).
 */

export const SCENARIO_PLACEHOLDER = '{SCENARIO}';
export const OUTPUT_DIR_PLACEHOLDER = '{OUTPUT_DIR}';

/** Whether the command names both placeholders. */
export function hasPlaceholders(command: readonly string[]): boolean {
  return (
    command.some((arg) => arg.includes(SCENARIO_PLACEHOLDER)) &&
    command.some((arg) => arg.includes(OUTPUT_DIR_PLACEHOLDER))
  );
}

/** The command for one scenario: every placeholder replaced. */
export function launchCommandFor(command: readonly string[], scenario: string, outputDir: string): string[] {
  return command.map((arg) =>
    arg.split(SCENARIO_PLACEHOLDER).join(scenario).split(OUTPUT_DIR_PLACEHOLDER).join(outputDir),
  );
}
