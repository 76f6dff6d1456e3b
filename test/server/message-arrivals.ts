// When each message from a language server began to arrive: the moment its first byte was read
// from the server's stdout, before the client has read the rest and parsed it. For the benches'
// edit times: a publication of the mixed 1,000-document file is 410 KB, and the bench client's
// own JSON.parse of it (7-8 ms of CPU) ended up in what was called the server's time. The server
// writes a message once its work is done, so its first byte is the server's answer.
// Messages are framed here as vscode-jsonrpc's reader frames them (a `Content-Length` header, an
// empty line, the body), and handed out in the order the reader delivers the messages.
import type { Readable } from 'node:stream';
import type { DataCallback, Disposable, Event, Message, MessageReader, PartialMessageInfo } from 'vscode-jsonrpc';

const HEADER_END = '\r\n\r\n';
/** Headers are short: a chunk's start is read as header text up to this many bytes at a time. */
const HEADER_READ = 256;

export class MessageArrivals implements MessageReader {
  /** Arrival times of messages framed and not yet delivered, in order. */
  private pending: number[] = [];
  private header = '';
  private bodyLeft = 0;
  private arrived = new WeakMap<object, number>();

  /** `stream` must not have been read yet: the framing starts at its first byte. */
  constructor(
    stream: Readable,
    private readonly reader: MessageReader,
  ) {
    stream.on('data', (chunk: Buffer) => this.frame(chunk, performance.now()));
  }

  /** When the message whose `params` (or the message itself) this is began to arrive (performance.now()). */
  arrivalOf(paramsOrMessage: object): number | undefined {
    return this.arrived.get(paramsOrMessage);
  }

  private frame(chunk: Buffer, now: number): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= take;
        at += take;
        continue;
      }
      if (this.header === '') this.pending.push(now);
      const before = this.header.length;
      this.header += chunk.toString('latin1', at, Math.min(chunk.length, at + HEADER_READ));
      const end = this.header.indexOf(HEADER_END);
      if (end < 0) {
        at += this.header.length - before;
        continue;
      }
      at += end + HEADER_END.length - before;
      const length = /Content-Length:\s*(\d+)/i.exec(this.header.slice(0, end));
      if (!length) throw new Error(`a message header without Content-Length: ${this.header.slice(0, end)}`);
      this.bodyLeft = Number(length[1]);
      this.header = '';
    }
  }

  listen(callback: DataCallback): Disposable {
    return this.reader.listen((message: Message) => {
      const arrival = this.pending.shift();
      if (arrival !== undefined) {
        this.arrived.set(message, arrival);
        const params = (message as { params?: unknown }).params;
        if (typeof params === 'object' && params !== null) this.arrived.set(params, arrival);
      }
      callback(message);
    });
  }

  get onError(): Event<Error> {
    return this.reader.onError;
  }

  get onClose(): Event<void> {
    return this.reader.onClose;
  }

  get onPartialMessage(): Event<PartialMessageInfo> {
    return this.reader.onPartialMessage;
  }

  dispose(): void {
    this.reader.dispose();
  }
}
