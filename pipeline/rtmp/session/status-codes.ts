// NetConnection/NetStream status codes and info objects (RTMP 1.0 §7.2.1.1, §7.2.2; the codes
// Flash-era and modern clients look for in _result, _error and onStatus).
import type { AmfObject } from '../amf/amf-value.js';

export const STATUS = {
  CONNECT_SUCCESS: 'NetConnection.Connect.Success',
  CONNECT_REJECTED: 'NetConnection.Connect.Rejected',
  CONNECT_CLOSED: 'NetConnection.Connect.Closed',
  CALL_FAILED: 'NetConnection.Call.Failed',
  PUBLISH_START: 'NetStream.Publish.Start',
  PUBLISH_BAD_NAME: 'NetStream.Publish.BadName',
  PUBLISH_DENIED: 'NetStream.Publish.Denied',
  UNPUBLISH_SUCCESS: 'NetStream.Unpublish.Success',
  PLAY_RESET: 'NetStream.Play.Reset',
  PLAY_START: 'NetStream.Play.Start',
  PLAY_STOP: 'NetStream.Play.Stop',
  PLAY_FAILED: 'NetStream.Play.Failed',
  PLAY_STREAM_NOT_FOUND: 'NetStream.Play.StreamNotFound',
  PLAY_PUBLISH_NOTIFY: 'NetStream.Play.PublishNotify',
  PLAY_UNPUBLISH_NOTIFY: 'NetStream.Play.UnpublishNotify',
  PAUSE_NOTIFY: 'NetStream.Pause.Notify',
  UNPAUSE_NOTIFY: 'NetStream.Unpause.Notify',
  DATA_START: 'NetStream.Data.Start',
} as const;

export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

export type StatusLevel = 'status' | 'error' | 'warning';

/** The info object carried by onStatus, _result and _error (level, code, description). */
export function statusInfo(level: StatusLevel, code: string, description: string, extra: AmfObject = {}): AmfObject {
  return { level, code, description, ...extra };
}
