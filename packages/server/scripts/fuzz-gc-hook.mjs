/**
 * Loaded into the server by `fuzz-server.mjs` (`node --expose-gc --import`):
 * SIGUSR2 makes it collect its garbage, so the fuzzer reads the memory the
 * server still holds rather than garbage that waits for V8's next collection.
 */
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  // Buffers freed by finalizers after the first collection go in a second one.
  setTimeout(() => globalThis.gc?.(), 100);
});
