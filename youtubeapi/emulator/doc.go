// Package emulator serves the part of the YouTube Data API v3 that an
// uploader uses, so that uploaders (this suite's, the official Go
// client, a user's own) can be tested against quota, channel caps and
// faults without touching Google.
//
// A Server is an http.Handler: mount it in httptest.NewServer inside a
// test, or run it with cmd/ytemulator. It serves:
//
//   - videos.insert: POST /upload/youtube/v3/videos with
//     uploadType=resumable (then PUT or POST chunks to the session URL in
//     the Location header; Content-Range "bytes a-b/total", "bytes
//     a-b/*" or the status check "bytes */total"), uploadType=multipart
//     or uploadType=media;
//   - videos.list (GET) and videos.update (PUT) on /youtube/v3/videos;
//   - thumbnails.set: POST /upload/youtube/v3/thumbnails/set;
//   - playlistItems.insert: POST /youtube/v3/playlistItems;
//   - channels.list: GET /youtube/v3/channels.
//
// What it enforces, as YouTube does (FACTS.md):
//
//   - a bearer token on every API call (401 authError without one); the
//     token names the channel (Channel.Token, by default the channel id).
//     Session URLs need no token: the upload id is the credential.
//   - quota per project and bucket under the configured cost model, reset
//     at midnight America/Los_Angeles (403 quotaExceeded, domain
//     youtube.quota); invalid calls cost the model's minimum;
//   - each channel's rolling 24-hour upload cap (400 uploadLimitExceeded,
//     domain youtube.video), counted at videos.insert;
//   - uploads from unaudited projects are forced private.
//
// Errors have Google's body: {"error": {"code", "message", "errors":
// [{"message", "domain", "reason"}], "status"}}.
//
// The chunk protocol follows the official Go client's conventions: a
// request with "X-GUploader-No-308: yes" gets 200 with
// "X-Http-Status-Code-Override: 308" for an accepted chunk, others a
// literal 308 with a Range header; a chunk that repeats bytes already
// stored is accepted (the client re-sends after a failure). A chunk cut
// off mid-way keeps its whole 256 KiB granules, like a server that
// persists as it receives; the status check reports what was kept.
//
// Faults (SetFaults, or PUT /emulator/faults with JSON) add latency,
// answer a share of calls 503 backendError or 403 rateLimitExceeded (a
// failed chunk is stored first, so the client's retry is a duplicate),
// exhaust buckets, or lower every channel's cap. GET /emulator/state
// shows quota, caps, sessions and videos. The admin paths under
// /emulator/ need no token: serve the emulator on loopback only.
package emulator
