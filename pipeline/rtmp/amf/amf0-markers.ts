// AMF0 type markers (Adobe AMF0 spec §2.1) and the AVM+ switch (§3.1).

export const AMF0_MARKER = {
  NUMBER: 0x00,
  BOOLEAN: 0x01,
  STRING: 0x02,
  OBJECT: 0x03,
  /** Reserved, not supported (§2.6). */
  MOVIECLIP: 0x04,
  NULL: 0x05,
  UNDEFINED: 0x06,
  REFERENCE: 0x07,
  ECMA_ARRAY: 0x08,
  OBJECT_END: 0x09,
  STRICT_ARRAY: 0x0a,
  DATE: 0x0b,
  LONG_STRING: 0x0c,
  UNSUPPORTED: 0x0d,
  /** Reserved, not supported (§2.16). */
  RECORDSET: 0x0e,
  XML_DOCUMENT: 0x0f,
  TYPED_OBJECT: 0x10,
  /** The next value is AMF3-encoded (§3.1). */
  AVMPLUS_OBJECT: 0x11,
} as const;

/** The largest UTF-8 byte length of a string-type (u16 length); longer needs long-string (§2.14). */
export const AMF0_MAX_SHORT_STRING_BYTES = 0xffff;
