/**
 * The runner sets remote actions up side by side (asynchronous setups overlap),
 * yet each server gets their `init`s one after the other, in the order the
 * setups started (tree order): a server then sees and logs the actions of a
 * scenario in the same order on every run. Connecting and `setup` still overlap.
 */
const lastInitByAddress = new Map<string, Promise<void>>();

/**
 * Take a place in `address`'s init line now; resolves when it is this caller's
 * turn, with the function to call once its `init` is answered (or failed).
 */
export function waitForInitTurn(address: string): Promise<() => void> {
  const previous = lastInitByAddress.get(address);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  lastInitByAddress.set(address, mine);
  const done = (): void => {
    release();
    if (lastInitByAddress.get(address) === mine) lastInitByAddress.delete(address);
  };
  return previous === undefined ? Promise.resolve(done) : previous.then(() => done);
}
