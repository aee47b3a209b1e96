// pipeline/codecs/aac: AudioSpecificConfig parsing and ADTS framing.
export { AUDIO_OBJECT_TYPE } from './audio-object-type.js';
export { SAMPLING_FREQUENCIES, samplingFrequencyIndex } from './sampling-frequency.js';
export { parseAudioSpecificConfig, aacConfigFromAsc, type AudioSpecificConfigInfo } from './audio-specific-config.js';
export { adtsHeader, parseAdtsHeader, ADTS_HEADER_SIZE, MAX_ADTS_FRAME_LENGTH, type AdtsHeader } from './adts.js';
