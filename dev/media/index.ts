/** Video fixtures for tests and the demo: indexed videos, the real-world corpus, and the frame reader. */
export { ffmpegPath, ffprobePath } from './ffmpeg';
export { makeIndexedVideo, type IndexedVideoOptions } from './indexed-video';
export { readFrameIndex, readFrameIndexRgb, readFrameOrientation, imageSize, decodeImage, type Orientation } from './read-frame';
export { CORPUS_KINDS, makeCorpus, probeCorpusFrames, frameOnScreen, frameAtOrAfter, type CorpusKind, type CorpusVideo, type CorpusFrame, type CorpusSize } from './corpus';
