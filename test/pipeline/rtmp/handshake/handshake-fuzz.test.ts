// Hostile input: random bytes into either side raise nothing but our own PipelineErrors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PipelineError } from '../../../../pipeline/core/errors.js';
import { ClientHandshake, ServerHandshake } from '../../../../pipeline/rtmp/handshake/index.js';
import { deterministic, splitAt } from './handshake-test-kit.js';

/** Random input, half the time starting with a valid version byte so C1/S1 parsing is reached. */
const inputArb = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 4000, size: 'max' }), fc.array(fc.nat(4000), { maxLength: 8 })).map(([valid, bytes, cuts]) => {
  const b = bytes.slice();
  if (valid && b.length > 0) b[0] = 3;
  return splitAt(b, cuts);
});

function onlyPipelineErrors(run: () => void): void {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PipelineError);
  }
}

describe('handshake fuzz', () => {
  it('ServerHandshake throws only PipelineErrors and completes whenever C0 is acceptable', () => {
    fc.assert(
      fc.property(inputArb, (pieces) => {
        const server = new ServerHandshake(deterministic(9));
        onlyPipelineErrors(() => {
          for (const p of pieces) server.push(p);
        });
        const total = pieces.reduce((n, p) => n + p.length, 0);
        if (total >= 3073 && pieces[0][0] === 3) expect(server.phase).toBe('done');
      }),
      { numRuns: 300 },
    );
  });

  it('ClientHandshake throws only PipelineErrors', () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (pieces, digest) => {
        const client = new ClientHandshake({ ...deterministic(9), digest });
        client.start();
        onlyPipelineErrors(() => {
          for (const p of pieces) client.push(p);
        });
      }),
      { numRuns: 300 },
    );
  });
});
