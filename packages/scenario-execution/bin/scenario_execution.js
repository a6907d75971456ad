#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
// CommonJS (bin/package.json): with the bundle built and current, Node runs the command
// without starting its ES module loader (see src/entry/launcher.ts). Otherwise (no
// bundle, or a TypeScript build newer than it) the entries of dist/entry/ run it.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const launcherFile = join(__dirname, '..', 'dist', 'entry', 'launcher.cjs');
const launcher = existsSync(launcherFile) ? require(launcherFile) : undefined;

if (launcher?.bundleIsCurrent()) {
  launcher.runBundledCommand();
} else {
  Promise.all([import('../dist/entry/cli.js'), import('../dist/entry/run-command.js')]).then(
    ([{ main }, { runCommand }]) => runCommand(main),
  );
}
