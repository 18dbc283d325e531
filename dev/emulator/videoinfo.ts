/**
 * GenerateMediaInfo (GET /<key>?ci-process=videoinfo): the Response/MediaInfo document COS
 * answers, built from ffprobe. Every leaf is a string. Video width/height are the coded
 * size (as COS reports); Rotation is the clockwise display rotation.
 */
import type { XmlNode } from './xml';
import type { MediaFacts, ProbeStream, VideoFacts } from './probe';
import { parseRate, rotationOf } from './probe';

const s = (v: unknown, dflt = ''): string => (v === undefined || v === null ? dflt : String(v));
const fixed = (v: unknown, digits = 6): string => (v === undefined || isNaN(Number(v)) ? '' : Number(v).toFixed(digits));

/** The fields COS reports for every stream, video or audio. */
function codecFields(st: ProbeStream): XmlNode {
  return {
    Index: s(st.index),
    CodecName: s(st.codec_name),
    CodecLongName: s(st.codec_long_name),
    CodecTimeBase: s(st.time_base),
    CodecTagString: s(st.codec_tag_string),
    CodecTag: s(st.codec_tag),
  };
}

function videoNode(st: ProbeStream, facts: VideoFacts): XmlNode {
  const fps = parseRate(st.r_frame_rate);
  const avg = parseRate(st.avg_frame_rate);
  return {
    ...codecFields(st),
    Profile: s(st.profile),
    Height: s(st.height),
    Width: s(st.width),
    HasBFrame: s(st.has_b_frames, '0'),
    RefFrames: s(st.refs, '1'),
    Sar: s(st.sample_aspect_ratio),
    Dar: s(st.display_aspect_ratio),
    PixFormat: s(st.pix_fmt),
    FieldOrder: s(st.field_order, 'progressive'),
    Level: s(st.level),
    Fps: String(Math.round((fps || facts.fps) * 1000) / 1000),
    AvgFps: String(Math.round((avg || facts.fps) * 1000) / 1000),
    Timebase: s(st.time_base),
    StartTime: fixed(st.start_time),
    // until the last frame has been shown (MediaFacts.videoEnd), like Format.Duration
    Duration: fixed(Math.max(Number(st.duration ?? facts.duration) || 0, facts.videoEnd - (Number(st.start_time) || 0))),
    Bitrate: st.bit_rate ? (Number(st.bit_rate) / 1000).toFixed(3) : '',
    NumFrames: s(st.nb_frames, String(facts.frames)),
    Language: s(st.tags?.language, 'und'),
    Rotation: String(rotationOf(st)),
  };
}

function audioNode(st: ProbeStream): XmlNode {
  return {
    ...codecFields(st),
    SampleFmt: s(st.sample_fmt),
    SampleRate: s(st.sample_rate),
    Channel: s(st.channels),
    ChannelLayout: s(st.channel_layout),
    Timebase: s(st.time_base),
    StartTime: fixed(st.start_time),
    Duration: fixed(st.duration),
    Bitrate: st.bit_rate ? (Number(st.bit_rate) / 1000).toFixed(3) : '',
    Language: s(st.tags?.language, 'und'),
  };
}

export function mediaInfoXml(facts: MediaFacts, objectSize: number): XmlNode {
  const streams = facts.probe.streams;
  // only the real video stream: not cover art; none at all for an audio-only file
  const videos = facts.video ? [videoNode(facts.video, facts as VideoFacts)] : [];
  const audios = streams.filter((x) => x.codec_type === 'audio').map(audioNode);
  const f = facts.probe.format;
  return {
    MediaInfo: {
      Stream: {
        // one element per stream: the SDK's parser turns repeated elements into an array
        Video: videos,
        Audio: audios,
        Subtitle: null,
      },
      Format: {
        NumStream: s(f.nb_streams, String(streams.length)),
        NumProgram: s(f.nb_programs, '0'),
        FormatName: s(f.format_name),
        FormatLongName: s(f.format_long_name),
        StartTime: fixed(f.start_time),
        Duration: fixed(facts.duration),
        Bitrate: f.bit_rate ? (Number(f.bit_rate) / 1000).toFixed(3) : '',
        Size: String(objectSize),
      },
    },
  };
}
