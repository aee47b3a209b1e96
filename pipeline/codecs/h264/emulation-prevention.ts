// NAL unit payload → RBSP: removal of emulation_prevention_three_byte (ITU-T H.264 §7.3.1, §7.4.1).

/**
 * Inside a NAL unit the encoder inserts 0x03 after any two zero bytes that would otherwise be
 * followed by a byte ≤ 0x03, so that no start code prefix (00 00 01) can appear in the payload
 * (§7.4.1: "emulation_prevention_three_byte ... shall be discarded by the decoding process").
 * Returns the input itself when there is nothing to remove, otherwise a compacted copy.
 */
export function removeEmulationPrevention(payload: Uint8Array): Uint8Array {
  const first = findEscape(payload, 0);
  if (first < 0) return payload;
  const out = new Uint8Array(payload.length);
  let written = 0;
  let from = 0;
  for (let escape = first; escape >= 0; escape = findEscape(payload, escape + 1)) {
    out.set(payload.subarray(from, escape), written);
    written += escape - from;
    from = escape + 1;
  }
  out.set(payload.subarray(from), written);
  written += payload.length - from;
  return out.subarray(0, written);
}

/** The index of the next 0x03 that follows two zero bytes (00 00 03), searching from `from`. */
function findEscape(bytes: Uint8Array, from: number): number {
  let zeros = 0;
  // Two zeros before `from` cannot count: the previous escape (at from - 1) resets the run.
  for (let i = from; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x03 && zeros >= 2) return i;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return -1;
}
