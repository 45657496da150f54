// Package pipeline turns a processing profile of scale.yaml into the
// ffmpeg commands that process one video, runs them in order and
// measures each stage.
//
// The stages of a profile, in the order a worker runs them:
//
//  1. decode: decode every stream once and discard it, as the check
//     that an upload is readable (when the profile says decode);
//  2. loudness-scan and loudness: EBU R128 two-pass loudness
//     normalisation of the audio (ffmpeg loudnorm: measure, then apply
//     with the measured values and encode AAC), or audio, a stream copy,
//     when the profile has no loudness step;
//  3. encode-<height>p-<codec>: one process per ladder rung: decode,
//     scale to the rung's height, encode (x264, x265 or SVT-AV1) with
//     the encoder's threads pinned so output bytes are reproducible;
//     rungs taller than the source are skipped, as a real ladder would;
//  4. thumbnail: one JPEG frame a third of the way in;
//  5. package-mp4 (one faststart MP4 per rung, audio muxed in) or
//     package-hls (fMP4 HLS, one variant per rung, master playlist).
//
// A Measurement holds a stage's wall time, CPU time and output bytes
// against the media duration; from them come the real-time factor
// (RTF = processing seconds per media second, lower is better), its
// inverse, the speed, CPU seconds per media second and output bytes per
// media second.
package pipeline
