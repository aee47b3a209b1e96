// FlvHeader and FlvRecord: what an FLV file holds (FLV v10.1 E.2 header, E.4.1 tags).
import type { FlvTagType } from './flv-constants.js';

/** The FLV file header's fields. */
export interface FlvHeader {
  readonly version: number;
  /** TypeFlagsAudio: the file announces audio tags. */
  readonly audio: boolean;
  /** TypeFlagsVideo: the file announces video tags. */
  readonly video: boolean;
}

/** One FLV tag: its type, 32-bit millisecond timestamp (TimestampExtended as the high byte) and body. */
export interface FlvRecord {
  readonly tagType: FlvTagType;
  readonly timestampMs: number;
  readonly body: Uint8Array;
}
