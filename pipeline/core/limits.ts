// Named limits of the pipeline, each with the reason for its value.

/** RTMP 1.0 §5.4.1 allows chunk sizes up to 0x7FFFFFFF; no real encoder goes past 64 KiB and a
 *  chunk never needs to exceed the largest message we accept, so anything above this is hostile. */
export const MAX_CHUNK_SIZE = 0xffffff;

/** The largest RTMP message we assemble. A 4K keyframe at a high bitrate stays well below this;
 *  a peer cannot make one connection hold more than this per chunk stream. */
export const MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

/** Chunk streams with a message in flight at once on one connection. Real clients use fewer
 *  than ten; this bounds the per-connection reassembly state. */
export const MAX_CHUNK_STREAMS = 64;

/** AMF0/AMF3 nesting depth: deep enough for any real command or metadata object, shallow
 *  enough that a hostile payload cannot exhaust the stack. */
export const MAX_AMF_DEPTH = 64;

/** Elements in one AMF array or properties in one object: bounds the work a single
 *  command can cause (payload size already bounds memory). */
export const MAX_AMF_ELEMENTS = 65536;

/** Tracks in one Enhanced RTMP multitrack packet (the track id is one byte). */
export const MAX_TRACKS = 256;
