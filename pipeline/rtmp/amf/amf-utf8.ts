// UTF-8 for AMF strings (AMF0 spec §1.3.1, AMF3 spec §1.3.2): invalid sequences decode to U+FFFD.

// Stateless between calls; ignoreBOM keeps a leading U+FEFF as part of the string.
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
const ENCODER = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array): string {
  // Short ASCII strings (command names, metadata keys) are the common case.
  if (bytes.length <= 32) {
    let s = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b >= 0x80) return DECODER.decode(bytes);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return DECODER.decode(bytes);
}

export function encodeUtf8(s: string): Uint8Array {
  return ENCODER.encode(s);
}
