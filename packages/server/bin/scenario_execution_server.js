#!/usr/bin/env node
// Committed launcher so npm links the bin at install time, before the build.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
