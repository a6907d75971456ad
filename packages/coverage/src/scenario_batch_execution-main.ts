/** Entry of the `scenario_batch_execution` command. */
import { batchCommand } from './batch/command.js';

export async function main(argv: string[]): Promise<number> {
  return batchCommand(argv);
}
