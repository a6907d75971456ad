#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
import { main } from '../dist/main.js';

// Exit explicitly: a plugin that leaves a handle open must not keep the process alive.
// (stdout/stderr writes to files and pipes are synchronous on Linux, so nothing is lost.)
process.exit(await main(process.argv.slice(2)));
