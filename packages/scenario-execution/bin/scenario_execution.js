#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
// dist/entry/ is the bundled engine after `npm run build`, the modules of dist/ after tsc alone.
import { main } from '../dist/entry/cli.js';
import { runCommand } from '../dist/entry/run-command.js';

await runCommand(main);
