// AMF3 type markers (Adobe AMF3 spec §3.1) and the ranges of its variable-length integers (§1.3.1).

export const AMF3_MARKER = {
  UNDEFINED: 0x00,
  NULL: 0x01,
  FALSE: 0x02,
  TRUE: 0x03,
  INTEGER: 0x04,
  DOUBLE: 0x05,
  STRING: 0x06,
  XML_DOCUMENT: 0x07,
  DATE: 0x08,
  ARRAY: 0x09,
  OBJECT: 0x0a,
  XML: 0x0b,
  BYTE_ARRAY: 0x0c,
  VECTOR_INT: 0x0d,
  VECTOR_UINT: 0x0e,
  VECTOR_DOUBLE: 0x0f,
  VECTOR_OBJECT: 0x10,
  DICTIONARY: 0x11,
} as const;

/** A U29 holds 0..2^29-1 (§1.3.1). */
export const U29_MAX = 0x1fffffff;

/** integer-type is a 29-bit two's-complement value (§3.6); others are sent as double. */
export const AMF3_INT_MIN = -0x10000000;
export const AMF3_INT_MAX = 0x0fffffff;

/** A length or reference index shares its U29 with one flag bit, leaving 28 bits (§3.8). */
export const U29_FLAGGED_MAX = 0x0fffffff;

/** U29O flag bits (§3.12): bit 0 inline (else object reference), bit 1 inline traits (else
 *  traits reference), bit 2 externalizable, bit 3 dynamic; the sealed member count follows. */
export const U29O_INLINE = 0x01;
export const U29O_TRAITS_INLINE = 0x02;
export const U29O_TRAITS_EXTERNALIZABLE = 0x04;
export const U29O_TRAITS_DYNAMIC = 0x08;
