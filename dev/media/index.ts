/** Video fixtures for tests and the demo (contract: /tmp/team/TEAM.md "dev/media"). */
export { ffmpegPath, ffprobePath } from './ffmpeg';
export { makeIndexedVideo, type IndexedVideoOptions } from './indexed-video';
export { readFrameIndex, readFrameOrientation, imageSize, decodeImage, type Orientation } from './read-frame';
