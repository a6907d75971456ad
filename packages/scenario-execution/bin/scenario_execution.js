#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
import { main } from '../dist/cli/main.js';
import { runCommand } from '../dist/cli/run-command.js';

await runCommand(main);
