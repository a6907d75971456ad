/** Entry of the `scenario_variation` command (built by a later change). */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('scenario_variation: not built yet\n');
  return 1;
}
