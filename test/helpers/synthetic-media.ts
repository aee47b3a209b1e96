// Legacy FLV tag bodies for synthetic streams (FLV v10.1 Annex E.4.2/E.4.3): enough for the
// server, which only peeks at headers, and for long-stream and load tests.

/** AVC sequence header (AVCPacketType 0) with a minimal avcC (profile High 4.0). */
export function avcSequenceHeader(): Uint8Array {
  return new Uint8Array([0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x28, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x64, 0x00, 0x28, 0x01, 0x00, 0x02, 0x68, 0xee]);
}

/** One AVC NALU frame of `size` bytes (key or inter) with a signed composition time. */
export function avcFrame(keyframe: boolean, size = 64, compositionTimeMs = 0, fill = 0): Uint8Array {
  const body = new Uint8Array(5 + 4 + size);
  body[0] = keyframe ? 0x17 : 0x27;
  body[1] = 0x01;
  const ct = compositionTimeMs < 0 ? compositionTimeMs + 0x1000000 : compositionTimeMs;
  body[2] = (ct >> 16) & 0xff;
  body[3] = (ct >> 8) & 0xff;
  body[4] = ct & 0xff;
  new DataView(body.buffer).setUint32(5, size);
  body[9] = keyframe ? 0x65 : 0x41;
  body.fill(fill & 0xff, 10);
  return body;
}

/** AAC sequence header: AudioSpecificConfig for AAC-LC 44.1 kHz stereo. */
export function aacSequenceHeader(): Uint8Array {
  return new Uint8Array([0xaf, 0x00, 0x12, 0x10]);
}

export function aacFrame(size = 32): Uint8Array {
  const body = new Uint8Array(2 + size);
  body[0] = 0xaf;
  body[1] = 0x01;
  return body;
}
