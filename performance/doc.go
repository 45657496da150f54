// Package performance measures what one machine can do for the platform:
// how fast each processing profile of scale.yaml turns a reference video
// into published outputs, and at what CPU and byte cost. Its tests and
// benchmarks are the suite's interface; the machinery lives in the
// subpackages refinput (reference inputs), ffmpeg (running and measuring
// ffmpeg) and pipeline (the stages of a profile).
//
// # The speed test
//
// TestSpeedTarget runs every configured profile on the reference inputs
// of the current scale (two at -short: a 1080p30 code screen and a
// 1080p30 talking head), checks the outputs (decodable by ffprobe,
// durations match the source, bytes written) and writes these records
// (see harness/record); <profile> is a profile name, <input> an input
// name such as "code-1080p30", <stage> a stage name such as
// "encode-1080p-h264" and <rung> a rung label such as "1080p-h264":
//
//	rtf/<profile>/<input>                 target speed, unit rtf, judged
//	                                      against targets.speed.max_rtf
//	rtf/<profile>/<input>/<stage>         info, rtf of one stage
//	speed/<profile>/<input>               info, x (media s per wall s)
//	cpu-sec-per-media-sec/<profile>/<input>   info, cpu-s/s
//	videos-per-hour-per-core/<profile>/<input> info, videos/h/core, for
//	                                      videos of the workload's mean
//	                                      length, from CPU time
//	output-bytes-per-media-sec/<profile>/<input>        info, B/s of the
//	                                      published outputs (packages
//	                                      and thumbnail)
//	output-bytes-per-media-sec/<profile>/<input>/<rung> info, B/s of the
//	                                      encoded rung
//
// TestHarnessOverheadCPU records what the harness itself costs while
// ffmpeg encodes, a figure that other load on the machine does not move:
//
//	harness-overhead-cpu-fraction/<input>/<stage>  info, cpu-s/cpu-s:
//	                                      this process's CPU over ffmpeg's
//
// An RTF above the target is an honest "fail" verdict in the record; the
// tests themselves fail only when the pipeline misbehaves.
//
// # Benchmarks
//
// BenchmarkProfile/profile=<p>/input=<i> runs a whole profile;
// BenchmarkStage/profile=<p>/input=<i>/stage=<s> one stage (its inputs
// prepared once beforehand); BenchmarkOverhead/input=<i>/stage=<s> runs
// one encode through the harness and as a bare ffmpeg command, in
// alternating order. They report, besides sec/op:
//
//	rtf                processing s per media s      better=lower
//	speed-x            media s per processing s      better=higher
//	cpu-sec/media-sec  CPU s per media s             better=lower
//	B/media-sec        output bytes per media s      better=lower
//	videos/h/core      as the record above           better=higher
//	ratio              harness wall / bare wall      better=lower
//
// B/media-sec is lower-is-better because at a fixed CRF fewer bytes cost
// less storage and egress; the gate cannot see quality, so a change that
// saves bytes by losing quality must be caught in review. Encoder threads
// are pinned, so bytes are exact on one machine (assume=exact). TestMain
// prints these directions as benchstat "Unit" lines.
//
// # GPU stages
//
// With -tags gpu (Linux, cgo), TestGPUEncode and BenchmarkGPU run the
// encode ladder on the first GPU: NVENC where the card has encoders,
// NVDEC decode with a CPU x264 encode where it has none (A100, H100,
// H200), as harness/gpu decides from the driver. They sample the GPU
// every 100ms and record, with <mode> "nvenc" or "nvdec":
//
//	gpu/rtf/<mode>/<profile>/<input>[/<stage>]                 info, rtf
//	gpu/joules-per-media-min/<mode>/<profile>/<input>[/<stage>] info,
//	                                      J/media-min, GPU board energy
//
// Without a driver, or with an ffmpeg that lacks cuda or NVENC, they skip
// and say what is missing.
package performance
