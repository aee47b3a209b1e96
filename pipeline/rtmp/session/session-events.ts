// What a server session reports to the service (the session itself does no I/O; RTMP 1.0 §7.2).
import type { AmfObject, AmfValue } from '../amf/amf-value.js';

/** The NetConnection connect command's parameters that the service needs (RTMP 1.0 §7.2.1.1;
 *  fourCcList from Enhanced RTMP v1 §Enhancing NetConnection connect Command). */
export interface ConnectRequest {
  readonly app: string;
  /** The query string that came with the app or tcUrl ("key=..."), without the "?". */
  readonly query: string;
  readonly tcUrl: string;
  readonly flashVer: string;
  readonly swfUrl: string;
  readonly pageUrl: string;
  readonly objectEncoding: 0 | 3;
  readonly fourCcList: readonly string[];
  readonly commandObject: AmfObject;
}

export type PublishType = 'live' | 'record' | 'append';

export type SessionEvent =
  | { readonly type: 'connect'; readonly request: ConnectRequest }
  | {
      readonly type: 'publish';
      readonly streamId: number;
      readonly name: string;
      readonly query: string;
      readonly publishType: PublishType;
    }
  | {
      readonly type: 'play';
      readonly streamId: number;
      readonly name: string;
      readonly query: string;
      /** -2: live or recorded; -1: live only; ≥ 0: recorded from this position (ms). */
      readonly start: number;
      readonly durationMs: number;
      readonly reset: boolean;
    }
  /** Audio (8) or video (9) message from a publisher, payload untouched. */
  | {
      readonly type: 'media';
      readonly streamId: number;
      readonly typeId: 8 | 9;
      readonly timestamp: number;
      readonly payload: Uint8Array;
    }
  /** A data message from a publisher. For @setDataFrame the name is the frame's name
   *  (usually onMetaData) and `payload` is the AMF0 form sent to players, without @setDataFrame. */
  | {
      readonly type: 'data';
      readonly streamId: number;
      readonly timestamp: number;
      readonly name: string;
      readonly values: readonly AmfValue[];
      readonly payload: Uint8Array;
      /** true for @setDataFrame (kept and sent to every new player), false for a one-off. */
      readonly keep: boolean;
    }
  | { readonly type: 'clearData'; readonly streamId: number }
  | { readonly type: 'unpublish'; readonly streamId: number; readonly reason: 'FCUnpublish' | 'closeStream' | 'deleteStream' }
  | { readonly type: 'stopPlay'; readonly streamId: number; readonly reason: 'closeStream' | 'deleteStream' }
  | { readonly type: 'pause'; readonly streamId: number; readonly paused: boolean; readonly positionMs: number }
  | { readonly type: 'receive'; readonly streamId: number; readonly kind: 'audio' | 'video'; readonly enabled: boolean }
  | { readonly type: 'pingResponse'; readonly roundTripMs: number }
  /** Something unusual but harmless (an unknown command, a message on a stream that is not
   *  publishing); the service logs it at debug level. */
  | { readonly type: 'notice'; readonly message: string };
