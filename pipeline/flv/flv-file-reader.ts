// FlvFileReader: FLV file bytes → header and FlvRecords (FLV v10.1 E.2–E.4.1), for any split of the input.
import { LimitError, ProtocolError, TruncatedError, UnsupportedError } from '../core/errors.js';
import { ByteQueue } from '../core/byte-queue.js';
import { MAX_MESSAGE_SIZE } from '../core/limits.js';
import {
  FLV_HEADER_SIZE,
  FLV_SIGNATURE,
  FLV_TAG_FILTER,
  FLV_TAG_HEADER_SIZE,
  FLV_TAG_TYPE,
  FLV_TAG_TYPE_MASK,
  PREVIOUS_TAG_SIZE_SIZE,
  TYPE_FLAGS_AUDIO,
  TYPE_FLAGS_VIDEO,
  type FlvTagType,
} from './flv-constants.js';
import type { FlvHeader, FlvRecord } from './flv-record.js';

const WHAT = 'FLV file';
const TAG_TYPES: ReadonlySet<number> = new Set(Object.values(FLV_TAG_TYPE));

type State = 'header' | 'headerPadding' | 'previousTagSize' | 'tag';

/**
 * Reads an FLV file pushed in pieces. Records are returned as soon as they are complete; their
 * bodies are views into the pushed bytes when a body lies within one pushed piece. A bad tag
 * throws before anything of it is consumed. Tags larger than MAX_MESSAGE_SIZE are refused.
 */
export class FlvFileReader {
  private readonly queue = new ByteQueue();
  private state: State = 'header';
  private fileHeader: FlvHeader | null = null;
  private paddingLeft = 0;
  /** The PreviousTagSize that must come next: 0 after the header, 11 + DataSize after a tag. */
  private expectedPreviousTagSize = 0;

  /** The file header, once read. */
  get header(): FlvHeader | null {
    return this.fileHeader;
  }

  push(bytes: Uint8Array): FlvRecord[] {
    this.queue.push(bytes);
    const records: FlvRecord[] = [];
    for (;;) {
      if (this.state === 'header') {
        if (!this.readHeader()) break;
      } else if (this.state === 'headerPadding') {
        const n = Math.min(this.paddingLeft, this.queue.length);
        this.queue.skip(n);
        this.paddingLeft -= n;
        if (this.paddingLeft > 0) break;
        this.state = 'previousTagSize';
      } else if (this.state === 'previousTagSize') {
        if (this.queue.length < PREVIOUS_TAG_SIZE_SIZE) break;
        const previousTagSize = this.queue.uintAt(0, 4);
        if (previousTagSize !== this.expectedPreviousTagSize) {
          throw new ProtocolError(`${WHAT}: PreviousTagSize ${previousTagSize}, expected ${this.expectedPreviousTagSize}`, { previousTagSize });
        }
        this.queue.skip(PREVIOUS_TAG_SIZE_SIZE);
        this.state = 'tag';
      } else {
        const record = this.readTag();
        if (!record) break;
        records.push(record);
      }
    }
    return records;
  }

  /** Ends the input. A missing final PreviousTagSize is tolerated (a recording cut short after a tag). */
  flush(): FlvRecord[] {
    if (this.state === 'header' || this.state === 'headerPadding') throw new TruncatedError(`${WHAT}: ends inside the file header`);
    if (this.queue.length > 0) {
      throw new TruncatedError(`${WHAT}: ${this.queue.length} bytes of an incomplete ${this.state === 'tag' ? 'tag' : 'PreviousTagSize'} at the end`);
    }
    return [];
  }

  private readHeader(): boolean {
    if (this.queue.length < FLV_HEADER_SIZE) return false;
    const q = this.queue;
    const signature = String.fromCharCode(q.byteAt(0), q.byteAt(1), q.byteAt(2));
    if (signature !== FLV_SIGNATURE) throw new ProtocolError(`${WHAT}: signature is not "FLV"`);
    const flags = q.byteAt(4);
    const dataOffset = q.uintAt(5, 4);
    if (dataOffset < FLV_HEADER_SIZE) throw new ProtocolError(`${WHAT}: DataOffset ${dataOffset} is below ${FLV_HEADER_SIZE}`, { dataOffset });
    this.fileHeader = { version: q.byteAt(3), audio: (flags & TYPE_FLAGS_AUDIO) !== 0, video: (flags & TYPE_FLAGS_VIDEO) !== 0 };
    q.skip(FLV_HEADER_SIZE);
    this.paddingLeft = dataOffset - FLV_HEADER_SIZE;
    this.state = 'headerPadding';
    return true;
  }

  private readTag(): FlvRecord | null {
    const q = this.queue;
    if (q.length < FLV_TAG_HEADER_SIZE) return null;
    const flags = q.byteAt(0);
    if (flags & FLV_TAG_FILTER) throw new UnsupportedError(`${WHAT}: filtered (encrypted) tags are not supported`);
    const tagType = flags & FLV_TAG_TYPE_MASK;
    if (!TAG_TYPES.has(tagType)) throw new UnsupportedError(`${WHAT}: unknown TagType ${tagType}`, { tagType });
    const dataSize = q.uintAt(1, 3);
    if (dataSize > MAX_MESSAGE_SIZE) throw new LimitError(`${WHAT}: tag DataSize ${dataSize} exceeds ${MAX_MESSAGE_SIZE}`, { dataSize });
    if (q.length < FLV_TAG_HEADER_SIZE + dataSize) return null;
    // Timestamp UI24 holds the low 24 bits, TimestampExtended UI8 the high 8 bits.
    const timestampMs = (q.byteAt(7) * 0x1000000) + q.uintAt(4, 3);
    q.skip(FLV_TAG_HEADER_SIZE); // StreamID UI24 is always 0 and not checked
    const body = q.take(dataSize);
    this.expectedPreviousTagSize = FLV_TAG_HEADER_SIZE + dataSize;
    this.state = 'previousTagSize';
    return { tagType: tagType as FlvTagType, timestampMs, body };
  }
}
