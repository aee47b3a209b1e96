// Golden MPEG-TS files for video+audio, audio-only and video-only programs, compared byte for
// byte (UPDATE_GOLDEN=1 rewrites them), and checked with the independent reader.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIO_PID, TsMuxer, VIDEO_PID } from '../../../pipeline/mpegts/index.js';
import { continuityErrors, inspectTs, pcrErrors, reassemblePes } from '../../helpers/ts-inspect.js';
import { GOLDEN_CASES } from './golden-streams.js';
import { muxSteps } from './mux-steps.js';

const GOLDEN_DIR = new URL('../../fixtures/mpegts/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe.each(GOLDEN_CASES)('golden $name.mpegts', ({ name, tracks, steps }) => {
  const ts = muxSteps(new TsMuxer({ tracks }), steps);
  const file = fileURLToPath(new URL(`${name}.mpegts`, GOLDEN_DIR));

  it('equals the golden file byte for byte', () => {
    if (UPDATE) writeFileSync(file, ts);
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    const golden = new Uint8Array(readFileSync(file));
    expect(ts.length).toBe(golden.length);
    const firstDiff = ts.findIndex((b, i) => b !== golden[i]);
    expect(firstDiff, `first differing byte at ${firstDiff} (packet ${Math.floor(firstDiff / 188)})`).toBe(-1);
  });

  it('is a well-formed stream: sync bytes, CRCs, continuity, PCR spacing, PMT = given tracks', () => {
    const summary = inspectTs(ts);
    expect(summary.badCrcs).toBe(0);
    expect(summary.pats.length).toBe(2);
    const pcrPid = tracks.some((t) => t.kind === 'video') ? VIDEO_PID : AUDIO_PID;
    for (const pmt of summary.pmts) {
      expect(pmt.pcrPid).toBe(pcrPid);
      expect(pmt.streams.map((s) => s.pid).sort()).toEqual(tracks.map((t) => (t.kind === 'video' ? VIDEO_PID : AUDIO_PID)).sort());
    }
    expect(continuityErrors(summary.packets)).toEqual([]);
    expect(pcrErrors(summary.packets, pcrPid)).toEqual([]);
    const pesCount = tracks.reduce((n, t) => n + reassemblePes(summary.packets, t.kind === 'video' ? VIDEO_PID : AUDIO_PID).length, 0);
    expect(pesCount).toBe(steps.filter((s) => s !== 'tables').length);
  });
});
