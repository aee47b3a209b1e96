// CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value
// 0xFFFFFFFF, no reflection, no final XOR; a section followed by its CRC_32 checks to 0.

const CRC32_MPEG2_POLYNOMIAL = 0x04c11db7;
const CRC32_MPEG2_INIT = 0xffffffff;

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ CRC32_MPEG2_POLYNOMIAL : crc << 1;
    table[byte] = crc >>> 0;
  }
  return table;
}

/** Computed once at module load: a constant, not mutable global state. */
const CRC32_MPEG2_TABLE: Readonly<Uint32Array> = buildTable();

/** The CRC_32 of `bytes` as an unsigned 32-bit integer (PSI sections are at most 1024 bytes). */
export function crc32Mpeg2(bytes: Uint8Array): number {
  let crc = CRC32_MPEG2_INIT;
  for (let i = 0; i < bytes.length; i++) crc = (crc << 8) ^ CRC32_MPEG2_TABLE[((crc >>> 24) ^ bytes[i]) & 0xff];
  return crc >>> 0;
}
