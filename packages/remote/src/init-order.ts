/**
 * The runner sets remote actions up side by side (asynchronous setups overlap),
 * yet each server gets their `init`s one after the other, in the order the
 * setups started (tree order): a server then sees and logs the actions of a
 * scenario in the same order on every run.
 *
 * Each action connects a little ahead of its turn, at most {@link CONNECT_AHEAD}
 * at a time: connecting overlaps the inits before it, but a few hundred actions
 * do not knock on a server's listen queue (100 connections by default) at once.
 */
const CONNECT_AHEAD = 32;

interface Place {
  readonly connect: () => void;
  connected: boolean;
  readonly start: () => void;
}

/** The actions of one server waiting to send `init`; the first one's turn it is. */
class InitLine {
  private readonly places: Place[] = [];

  constructor(private readonly onEmpty: () => void) {}

  join(connect: () => void): Promise<() => void> {
    let start!: () => void;
    const turn = new Promise<void>((resolve) => {
      start = resolve;
    });
    const place: Place = { connect, connected: false, start };
    this.places.push(place);
    this.connectAhead();
    if (this.places.length === 1) place.start();
    return turn.then(() => () => this.leave(place));
  }

  private leave(place: Place): void {
    const index = this.places.indexOf(place);
    if (index < 0) return;
    this.places.splice(index, 1);
    if (this.places.length === 0) {
      this.onEmpty();
      return;
    }
    this.connectAhead();
    this.places[0]?.start();
  }

  private connectAhead(): void {
    const end = Math.min(CONNECT_AHEAD, this.places.length);
    for (let i = 0; i < end; i++) {
      const place = this.places[i] as Place;
      if (place.connected) continue;
      place.connected = true;
      // A connect that throws must not keep this line from moving: the
      // caller's own init then fails on the connection it could not open.
      try {
        place.connect();
      } catch {
        // Nothing to undo here.
      }
    }
  }
}

const linesByAddress = new Map<string, InitLine>();

/**
 * Take a place in `address`'s init line now. `connect` is called when the
 * place comes near the front. Resolves when it is this caller's turn, with the
 * function to call once its `init` is answered (or failed).
 */
export function waitForInitTurn(address: string, connect: () => void): Promise<() => void> {
  let line = linesByAddress.get(address);
  if (line === undefined) {
    const created = new InitLine(() => {
      if (linesByAddress.get(address) === created) linesByAddress.delete(address);
    });
    linesByAddress.set(address, created);
    line = created;
  }
  return line.join(connect);
}
