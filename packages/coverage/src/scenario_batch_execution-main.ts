/** Entry of the `scenario_batch_execution` command (built by a later change). */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('scenario_batch_execution: not built yet\n');
  return 1;
}
