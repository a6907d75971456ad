/** A minimal REQ client for tests, speaking the protocol as the Python client does. */
import {
  type CommandName,
  decodeReply,
  encodeRequest,
  makeRequest,
  type PayloadByCommand,
  type Reply,
} from '@scenario-execution/protocol';
import { Request } from 'zeromq';

export class TestClient {
  readonly socket: Request;

  constructor(address: string, timeoutMs = 5000) {
    this.socket = new Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs, relaxed: true });
    this.socket.connect(address);
  }

  /** Send raw frame bytes; resolve with the raw reply. */
  async raw(body: Uint8Array): Promise<Buffer> {
    await this.socket.send(body);
    const [reply] = await this.socket.receive();
    return reply as Buffer;
  }

  async rawReply(body: Uint8Array): Promise<Reply> {
    const decoded = decodeReply(await this.raw(body));
    if (!decoded.ok) throw new Error(decoded.error);
    return decoded.value;
  }

  call<C extends CommandName>(cmd: C, payload: PayloadByCommand[C]): Promise<Reply> {
    return this.rawReply(encodeRequest(makeRequest(cmd, payload) as never));
  }

  close(): void {
    this.socket.close();
  }
}
