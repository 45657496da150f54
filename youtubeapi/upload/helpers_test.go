package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/api/youtube/v3"

	"github.com/scaletest/scaletest/harness/fault"
	"github.com/scaletest/scaletest/youtubeapi/emulator"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// newEmulator serves an emulator with one project and channel "ch" and
// returns it with its URL.
func newEmulator(t testing.TB) (*emulator.Server, string) {
	t.Helper()
	m, err := quota.Lookup("2026-06-01")
	require.NoError(t, err)
	srv, err := emulator.New(emulator.Config{Model: m, Seed: 3,
		Projects: []emulator.Project{{ID: "p",
			Channels: []emulator.Channel{{ID: "ch"}}}}})
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// testMedia returns n bytes that differ at every offset.
func testMedia(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i ^ i>>8 ^ i>>16)
	}
	return b
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func request(key string, data []byte) Request {
	return Request{Key: key, Video: &youtube.Video{
		Snippet: &youtube.VideoSnippet{Title: key}},
		Media: bytes.NewReader(data), Size: int64(len(data))}
}

// checkStored asserts the emulator holds data as one video.
func checkStored(t testing.TB, srv *emulator.Server, res Result, data []byte) {
	t.Helper()
	require.NotNil(t, res.Video)
	for _, v := range srv.Videos() {
		if v.ID == res.Video.Id {
			require.Equal(t, int64(len(data)), v.Size, "stored size")
			require.Equal(t, sum(data), v.SHA256, "stored digest")
			return
		}
	}
	t.Fatalf("video %s is not on the emulator", res.Video.Id)
}

// shapedLink puts an embedded toxiproxy (harness/fault) between the
// client and upstream ("host:port"): client-to-server bytes are limited to
// rateKBps (1000 bytes per second units, toxiproxy's "KB"), and, when
// cutBytes > 0, every connection is closed after carrying cutBytes to the
// server. It returns the address to dial.
func shapedLink(t testing.TB, upstream string, rateKBps, cutBytes int64) string {
	t.Helper()
	n := fault.NewNetwork()
	t.Cleanup(n.Close)
	p, err := n.Proxy("youtube", upstream)
	require.NoError(t, err)
	require.NoError(t, p.AddToxic(fault.Toxic{Name: "bandwidth", Type: "bandwidth",
		Stream: fault.Upstream, Attributes: map[string]int64{"rate": rateKBps}}))
	if cutBytes > 0 {
		require.NoError(t, p.AddToxic(fault.Toxic{Name: "cut", Type: "limit_data",
			Stream: fault.Upstream, Attributes: map[string]int64{"bytes": cutBytes}}))
	}
	return p.Addr()
}
