// Recording ids: the UTC start time and a random tag, e.g. "20261122-101500-3fa9c2". They sort by
// start time, are unique across restarts and processes, and are safe in paths and URLs.
import { randomBytes } from 'node:crypto';

const RECORDING_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

export function newRecordingId(nowMs: number, tag: string = randomBytes(3).toString('hex')): string {
  const iso = new Date(nowMs).toISOString(); // 2026-11-22T10:15:00.000Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${tag}`;
}

export function isRecordingId(value: string): boolean {
  return RECORDING_ID.test(value);
}
