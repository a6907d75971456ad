#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
import { runCommand } from 'scenario-execution/run-command';
import { main } from '../dist/scenario_batch_execution-main.js';

await runCommand(main);
