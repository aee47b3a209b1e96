// Restoring a live window from a stored state: a successor continues, a bad state is refused.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { LiveWindow, restoreLiveWindowState, serializeMediaPlaylist } from '../../../../pipeline/manifest/hls/index.js';
import { HlsPlaylistChecker } from '../../../helpers/hls-playlist-checker.js';
import { DISCONTINUITY_SLID_OUT, T0_MS, runScenario } from './hls-scenarios.js';

const OPTS = { targetDurationSec: 2, minSegments: 6 };
const { window: SOURCE, versions: SOURCE_VERSIONS } = runScenario(OPTS, [...DISCONTINUITY_SLID_OUT, 'discontinuity']);
const STATE = JSON.parse(JSON.stringify(SOURCE.state())) as Record<string, unknown>;

describe('LiveWindow state', () => {
  it('is plain JSON holding the window, next sequence, discontinuity sequence and flags', () => {
    expect(STATE).toMatchObject({ targetDurationSec: 2, nextSequence: 13, discontinuitySequence: 1, pendingDiscontinuity: true, ended: false });
    expect((STATE.segments as unknown[]).length).toBe(6);
  });

  it('lets a successor continue the same playlist: pending discontinuity, sequence numbers, checker-clean', () => {
    const successor = new LiveWindow(OPTS, STATE as never);
    const checker = new HlsPlaylistChecker();
    SOURCE_VERSIONS.forEach((v) => checker.check(v));
    const r = successor.add({ uri: 'seg-000013.ts', durationSec: 2, programDateTimeMs: T0_MS + 60_000 });
    expect(r.added).toMatchObject({ sequence: 13, discontinuity: true });
    expect(r.removed.map((s) => s.sequence)).toEqual([7]);
    checker.check(serializeMediaPlaylist(successor.playlist()));
    expect(successor.playlist()).toMatchObject({ mediaSequence: 8, discontinuitySequence: 1 });
  });

  it('lets a successor with a larger minSegments grow the window instead of removing', () => {
    const successor = new LiveWindow({ targetDurationSec: 2, minSegments: 8 }, STATE as never);
    expect(successor.add({ uri: 'n.ts', durationSec: 2, programDateTimeMs: T0_MS + 60_000 }).removed).toEqual([]);
  });

  const tamper = (patch: Record<string, unknown>): unknown => ({ ...STATE, ...patch });
  const segs = STATE.segments as Record<string, unknown>[];
  it.each([
    ['another target duration', tamper({ targetDurationSec: 6 })],
    ['a missing flag', tamper({ ended: undefined })],
    ['a fractional next sequence', tamper({ nextSequence: 12.5 })],
    ['a next sequence that does not follow the window', tamper({ nextSequence: 20 })],
    ['a gap in the sequence numbers', tamper({ segments: [segs[0], ...segs.slice(2)], nextSequence: 13 })],
    ['a segment longer than the target', tamper({ segments: [...segs.slice(0, 5), { ...segs[5], durationSec: 2.6 }] })],
    ['a segment without a URI', tamper({ segments: [...segs.slice(0, 5), { ...segs[5], uri: undefined }] })],
    ['dates that do not increase', tamper({ segments: [...segs.slice(0, 5), { ...segs[5], programDateTimeMs: T0_MS }] })],
    ['a URI twice', tamper({ segments: [...segs.slice(0, 5), { ...segs[5], uri: segs[0].uri }] })],
    ['a string for a number', tamper({ discontinuitySequence: '1' })],
    ['a non-array window', tamper({ segments: {} })],
    ['not an object', 'state'],
    ['null', null],
  ])('refuses %s with a ProtocolError', (_name, state) => {
    expect(() => restoreLiveWindowState(state, 2)).toThrow(ProtocolError);
    expect(() => new LiveWindow(OPTS, state as never)).toThrow(/invalid live window state|EXTINF/);
  });
});
