/**
 * `--log-format json`: one JSON object a line, for log collectors:
 *
 *     {"time":"2026-05-01T10:00:00.123Z","level":"INFO","logger":"scenario_execution_server.server","message":"cmd=init action_id=127fc630","action_id":"127fc630"}
 *
 * `time` is UTC (ISO 8601, milliseconds), `level` the Python level name as in
 * the text format, `action_id` the first 8 characters of the action id, as the
 * text lines show it, on lines about one action only.
 *
 * JSON escapes the C0 control characters itself; DEL, the C1 controls and the
 * Unicode line and paragraph separators, which it leaves as they are, are
 * escaped here too (`\u009b`), so a line never drives a terminal that shows
 * the log, nor splits for a reader that breaks lines at U+2028.
 */

/** What one JSON line holds. */
export interface JsonLogRecord {
  readonly time: Date;
  /** Python's level name (`INFO`, `WARNING`, …). */
  readonly level: string;
  readonly logger: string;
  readonly message: string;
  readonly actionId?: string | undefined;
}

/** The characters `JSON.stringify` leaves raw that must not reach a log line raw. */
const RAW_AFTER_JSON = /[\u007f-\u009f\u2028\u2029]/g;

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The prefix of the loggers of actions (`action.<id prefix>`, see the action host). */
const ACTION_LOGGER_PREFIX = 'action.';

/**
 * How our own lines name the action they are about: `(id=1a2b3c4d)`,
 * `(id=1a2b3c4d, …)`, `Action id=1a2b3c4d …`, `action_id=1a2b3c4d`,
 * `action 1a2b3c4d: …`.
 */
const ACTION_ID_IN_TEXT = /\b(?:action_)?id=([^\s,)]{1,32})|\baction ([0-9A-Za-z_-]{1,32}):/g;

/**
 * The action a line is about: `explicit` when the caller knows it; else the
 * logger of an action (`action.<id>`); else the id our own messages write in
 * their text. A message may quote a client's text, which could hold
 * something that looks like an id too: when the text names two different
 * ids, the line names none rather than the wrong one.
 */
export function actionIdOf(logger: string, message: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  if (logger.startsWith(ACTION_LOGGER_PREFIX)) return logger.slice(ACTION_LOGGER_PREFIX.length);
  let found: string | undefined;
  for (const match of message.matchAll(ACTION_ID_IN_TEXT)) {
    const id = match[1] ?? match[2];
    if (id === undefined || id === '') continue;
    if (found !== undefined && found !== id) return undefined;
    found = id;
  }
  return found;
}

/** One log line as a JSON object (no newline). */
export function formatJsonLine(record: JsonLogRecord): string {
  const object: Record<string, string> = {
    time: record.time.toISOString(),
    level: record.level,
    logger: record.logger,
    message: record.message,
  };
  if (record.actionId !== undefined) object.action_id = record.actionId;
  return JSON.stringify(object).replace(RAW_AFTER_JSON, unicodeEscape);
}
