// Fixed numbers of the MPEG-2 transport stream (ISO/IEC 13818-1 §2.4) as Onramp's HLS muxer uses them.

/** Every transport packet is 188 bytes (§2.4.3.2). */
export const TS_PACKET_SIZE = 188;
/** sync_byte (§2.4.3.3). */
export const TS_SYNC_BYTE = 0x47;
/** Bytes of the fixed transport packet header (§2.4.3.2). */
export const TS_HEADER_SIZE = 4;
/** Payload bytes of a packet without an adaptation field. */
export const TS_PAYLOAD_SIZE = TS_PACKET_SIZE - TS_HEADER_SIZE;
/** continuity_counter is a 4-bit field (§2.4.3.3). */
export const CONTINUITY_COUNTER_MODULUS = 16;

/** adaptation_field_control values (§2.4.3.3, Table 2-5). */
export const ADAPTATION_FIELD_CONTROL_PAYLOAD_ONLY = 0b01;
export const ADAPTATION_FIELD_CONTROL_ADAPTATION_ONLY = 0b10;
export const ADAPTATION_FIELD_CONTROL_BOTH = 0b11;

/** PID of the program association table (§2.4.4.4, Table 2-3). */
export const PAT_PID = 0x0000;
/** PID Onramp gives the program map table (the choice of ffmpeg and most HLS packagers). */
export const PMT_PID = 0x1000;
/** PID of the video elementary stream (track id 1 in the ingest model). */
export const VIDEO_PID = 0x0100;
/** PID of the audio elementary stream (track id 2 in the ingest model). */
export const AUDIO_PID = 0x0101;
/** The one program of the stream (program_number, §2.4.4.3). */
export const PROGRAM_NUMBER = 1;
/** transport_stream_id of the PAT (§2.4.4.5); a free choice for a stand-alone stream. */
export const TRANSPORT_STREAM_ID = 1;

/** table_id values (§2.4.4.4, Table 2-31). */
export const TABLE_ID_PAT = 0x00;
export const TABLE_ID_PMT = 0x02;

/** stream_type values (§2.4.4.9, Table 2-34). */
export const STREAM_TYPE_MPEG1_AUDIO = 0x03;
export const STREAM_TYPE_MPEG2_AUDIO = 0x04;
export const STREAM_TYPE_AAC_ADTS = 0x0f;
export const STREAM_TYPE_H264 = 0x1b;

/** stream_id values (§2.4.3.7, Table 2-22): the first video and the first audio stream. */
export const STREAM_ID_VIDEO = 0xe0;
export const STREAM_ID_AUDIO = 0xc0;

/** The 90 kHz system clock of PTS, DTS and the PCR base (§2.4.3.7, §2.4.3.5). */
export const MPEG_CLOCK_HZ = 90_000;
/** PTS, DTS and the PCR base are 33-bit fields; they wrap at 2^33 (§2.4.3.7). */
export const TIMESTAMP_MODULUS = 2 ** 33;
/** PCR = base × 300 + extension, the extension counting 27 MHz ticks (§2.4.3.5). */
export const PCR_EXTENSION_MODULUS = 300;
/** "The time interval between consecutive PCRs shall not exceed 0.1 s" (§2.7.2), in 90 kHz. */
export const PCR_MAX_INTERVAL = MPEG_CLOCK_HZ / 10;
