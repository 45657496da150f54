// Package gpu samples NVIDIA GPU telemetry through NVML while a stage
// runs: GPU, memory-controller, encoder and decoder utilisation, memory
// in use, power, the energy counter, clocks and temperature.
//
// Use:
//
//  1. Open the NVML library (Open). Without the `gpu` build tag Open
//     returns ErrNotCompiled; with it and no driver, an error that wraps
//     ErrNoDriver. Every NVML call is made only after a successful
//     nvmlInit: without a driver, go-nvml kills the process on any
//     other call.
//  2. Inspect Devices: each says whether it has NVENC encoders (by the
//     encoder-capacity query, or the card tables in FACTS.md when the
//     query is unsupported: A100, H100 and H200 have none).
//  3. Record at a fixed interval around the work, Stop, and Summarize
//     the samples of one device: mean and peak utilisation, peak memory,
//     mean power and energy in joules (from the millijoule counter, or
//     power integrated over time where the counter is missing).
//  4. Close.
//
// The sampler is written against a small source interface; the NVML
// binding implements it over go-nvml's nvml.Interface, so its tests run
// without a GPU on go-nvml's mock (they need cgo, as go-nvml does).
package gpu
