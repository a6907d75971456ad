import { OscError } from '../language/diagnostics.js';

/**
 * A problem with an installed plugin (broken manifest, duplicate name, module
 * that does not load). It has no scenario location, so it prints as
 * `error: message`; the message names the package and the file.
 */
export class PluginError extends OscError {
  constructor(message: string) {
    super(message, undefined);
    this.name = 'PluginError';
  }
}
