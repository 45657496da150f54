// Package upload sends videos to the YouTube Data API v3 (or the
// emulator) with the resumable upload protocol.
//
// Uploader speaks the protocol itself, because the official Go client
// cannot resume after a restart (it never reveals its session URL):
//
//  1. Open a session: POST /upload/youtube/v3/videos?uploadType=resumable
//     with the video's metadata; the Location header is the session URL.
//     This is the videos.insert call that quota and channel caps count.
//     The URL is saved in a SessionStore under the upload's Key before a
//     byte is sent.
//  2. Send the media in chunks of ChunkSize (a multiple of 256 KiB) with
//     PUT and Content-Range: bytes first-last/total. The server answers
//     308 (or 200 with X-Http-Status-Code-Override: 308) and a Range
//     header with what it stored; the next chunk starts there.
//  3. After a broken connection, a 5xx, 408 or 429: wait (exponential
//     backoff with jitter), ask the server what it has (PUT with
//     Content-Range: bytes */total) and go on from there. At most the
//     chunk in flight is sent again.
//  4. A new Uploader with the same SessionStore and Key, after a crash or
//     in another process, asks the same question and resumes.
//  5. A 404 on the session means it expired: a fresh session starts over
//     (one more videos.insert call, counted in Stats.Sessions).
//  6. The final chunk's answer (200 or 201) is the video resource.
//
// Errors of the API come back as *googleapi.Error, the type the official
// client returns, so youtubeapi.OutcomeOf classifies both alike.
//
// NewService and Bearer point the official client
// (google.golang.org/api/youtube/v3) at any endpoint, such as the
// emulator.
package upload
