/**
 * Nothing runs twice: a request that changes an action's state (`init`,
 * `setup`, `execute`, `terminate`) and arrives again for the same action_id
 * before any other state change gets the first one's reply, and the action
 * does not run it again. That is what a client sends when it re-sends a
 * request after its connection dropped (it cannot know whether the first one
 * arrived), or what a network that duplicates messages delivers.
 *
 * A legitimate second run is never taken for a repeat: clients terminate a
 * run before they start the next one (`execute`, `terminate`, `execute`), so
 * the second `execute` follows another state change. `update` changes nothing
 * a repeat could undo, and does not count; `reset` forgets the action, so
 * anything after it runs. "The same request" means the same command and
 * payload, byte for byte once encoded.
 *
 * Only live actions are remembered (a request that created nothing is
 * forgotten once answered), so memory stays bounded by the live actions.
 */
import { createHash } from 'node:crypto';
import { encodeRequest, type Reply, type Request } from '@scenario-execution/protocol';

/** The commands whose repetition is answered from memory. */
const STATE_CHANGES: ReadonlySet<string> = new Set(['init', 'setup', 'execute', 'terminate']);

interface Remembered {
  /** The request's bytes, or their digest (see {@link requestKey}). */
  readonly key: string;
  readonly reply: Promise<Reply>;
}

export class RepeatedRequests {
  private readonly last = new Map<string, Remembered>();

  /**
   * The first reply when `request` repeats the last state change of its
   * action; otherwise undefined, and `answer` is called: its reply is
   * remembered (while the action lives) and returned.
   */
  answer(
    request: Request,
    actionId: string,
    answer: () => Promise<Reply>,
    isLive: (actionId: string) => boolean,
  ): { readonly repeated: boolean; readonly reply: Promise<Reply> } {
    if (!STATE_CHANGES.has(request.cmd)) return { repeated: false, reply: answer() };
    const key = requestKey(request);
    const previous = this.last.get(actionId);
    if (key !== undefined && previous?.key === key) return { repeated: true, reply: previous.reply };
    const reply = answer();
    if (key === undefined) {
      this.last.delete(actionId);
      return { repeated: false, reply };
    }
    const remembered: Remembered = { key, reply };
    this.last.set(actionId, remembered);
    const keepIfLive = () => {
      if (this.last.get(actionId) === remembered && !isLive(actionId)) this.last.delete(actionId);
    };
    reply.then(keepIfLive, keepIfLive);
    return { repeated: false, reply };
  }

  /** The action was reset (or reaped): whatever comes next runs. */
  forget(actionId: string): void {
    this.last.delete(actionId);
  }

  forgetAll(): void {
    this.last.clear();
  }

  /** Actions with a remembered request (for tests). */
  get size(): number {
    return this.last.size;
  }
}

/**
 * Encoded requests up to this size are their own key (a state change is usually
 * well under 1 KiB); longer ones are keyed by a digest, so that what is kept
 * per live action stays small however large a request was.
 */
const MAX_PLAIN_KEY_BYTES = 1024;

/**
 * The request as encoded (latin1: one character a byte, so equal keys mean
 * equal bytes), or a digest of it; undefined if it cannot be encoded (it is
 * then never taken for a repeat). The two kinds of key never collide: a digest
 * is 44 characters and starts with '#', and no encoded request starts with
 * that byte (a request is a map).
 */
function requestKey(request: Request): string | undefined {
  let bytes: Buffer;
  try {
    bytes = encodeRequest(request);
  } catch {
    return undefined;
  }
  if (bytes.length <= MAX_PLAIN_KEY_BYTES) return bytes.toString('latin1');
  return `#${createHash('sha256').update(bytes).digest('base64')}`;
}
