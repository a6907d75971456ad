/**
 * Decoded replies by their bytes, for the small ones that repeat all the time
 * (`{"status": "ok"}` to heartbeats and terminates, `running` and `success`
 * to updates): a parallel of 200 remote actions gets 2,000 of them a second,
 * and decoding each anew costs more than its round trip's own work here.
 * Entries are frozen: every caller gets the same object.
 */
import { decodeReply, type ParseResult, type Reply } from '@scenario-execution/protocol';

/** Replies up to this size are remembered (the repeated ones are far smaller). */
const MAX_CACHED_BYTES = 64;
/** Distinct replies remembered; beyond, new ones are decoded each time. */
const MAX_ENTRIES = 64;

const cache = new Map<string, ParseResult<Reply>>();

/** `decodeReply(body)`, from memory when the same small reply was decoded before. */
export function decodeReplyCached(body: Buffer): ParseResult<Reply> {
  if (body.length > MAX_CACHED_BYTES) return decodeReply(body);
  const key = body.toString('latin1');
  const known = cache.get(key);
  if (known !== undefined) return known;
  const parsed = decodeReply(body);
  // Log lines or feedback make a reply one of a kind: not worth remembering.
  if (parsed.ok && parsed.value.log === undefined && parsed.value.feedback === undefined && cache.size < MAX_ENTRIES) {
    cache.set(key, Object.freeze({ ok: true, value: Object.freeze(parsed.value) }));
  }
  return parsed;
}
