// VideoFrameType ids ↔ names (FLV v10.1 E.4.3.1; E-RTMP v2 enum VideoFrameType).
import { ProtocolError, UnsupportedError } from '../core/errors.js';
import { VIDEO_FRAME_TYPE } from './flv-constants.js';
import type { VideoFrameType } from './video-tag-types.js';

const NAME_BY_ID: ReadonlyMap<number, VideoFrameType> = new Map<number, VideoFrameType>([
  [VIDEO_FRAME_TYPE.KEY_FRAME, 'keyframe'],
  [VIDEO_FRAME_TYPE.INTER_FRAME, 'interframe'],
  [VIDEO_FRAME_TYPE.DISPOSABLE_INTER_FRAME, 'disposable'],
  [VIDEO_FRAME_TYPE.GENERATED_KEY_FRAME, 'generated'],
]);

const ID_BY_NAME: ReadonlyMap<string, number> = new Map([...NAME_BY_ID].map(([id, name]) => [name, id]));

/** The frame type of coded frames; Command (5) is handled before, 0, 6 and 7 are reserved. */
export function videoFrameTypeFromId(id: number, what: string): VideoFrameType {
  const name = NAME_BY_ID.get(id);
  if (name === undefined) throw new UnsupportedError(`${what}: reserved VideoFrameType ${id}`, { frameType: id });
  return name;
}

export function videoFrameTypeId(frameType: VideoFrameType): number {
  const id = ID_BY_NAME.get(frameType);
  if (id === undefined) throw new ProtocolError(`FLV video: unknown frame type "${String(frameType)}"`);
  return id;
}
