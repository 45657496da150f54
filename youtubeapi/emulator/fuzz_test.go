package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// FuzzContentRange: the parser never panics, and what it accepts is a
// consistent range that formats back to itself.
func FuzzContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-262143/*", "bytes 0-9/10",
		"bytes */10", "bytes */*", "bytes 5-4/10", "bytes 0-10/10",
		"bytes -1-2/3", "bytes 00-1/2", "bytes 1-2/ 3", "bytes=0-1/2",
		"bytes 99999999999999999999-1/2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseContentRange(s)
		if err != nil {
			return
		}
		if c.isStatus() {
			if c.total < 0 || c.last != -1 {
				t.Fatalf("parse(%q) = %+v: a status check needs a total", s, c)
			}
			return
		}
		if c.first < 0 || c.last < c.first ||
			(c.total >= 0 && c.last >= c.total) {
			t.Fatalf("parse(%q) = %+v: inconsistent", s, c)
		}
		total := "*"
		if c.total >= 0 {
			total = fmt.Sprint(c.total)
		}
		back := fmt.Sprintf("bytes %d-%d/%s", c.first, c.last, total)
		if again, err := parseContentRange(back); err != nil || again != c {
			t.Fatalf("parse(%q) = %+v, but %q parses to %+v, %v", s, c, back,
				again, err)
		}
	})
}

// fuzzSeeds are raw HTTP requests; UPLOADID stands for an open session.
var fuzzSeeds = []string{
	"POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet " +
		"HTTP/1.1\r\nHost: e\r\nAuthorization: Bearer ch1\r\n" +
		"X-Upload-Content-Length: 10\r\nContent-Length: 26\r\n\r\n" +
		`{"snippet":{"title":"t"}}` + "\n",
	"PUT /upload/youtube/v3/videos?upload_id=UPLOADID HTTP/1.1\r\n" +
		"Host: e\r\nContent-Range: bytes 0-4/10\r\n" +
		"X-GUploader-No-308: yes\r\nContent-Length: 5\r\n\r\nabcde",
	"PUT /upload/youtube/v3/videos?upload_id=UPLOADID HTTP/1.1\r\n" +
		"Host: e\r\nContent-Range: bytes */10\r\n\r\n",
	"PUT /upload/youtube/v3/videos?upload_id=UPLOADID HTTP/1.1\r\n" +
		"Host: e\r\nContent-Length: 10\r\n\r\n0123456789",
	"POST /upload/youtube/v3/videos?uploadType=multipart&part=snippet " +
		"HTTP/1.1\r\nHost: e\r\nAuthorization: Bearer ch1\r\n" +
		"Content-Type: multipart/related; boundary=b\r\n" +
		"Content-Length: 82\r\n\r\n--b\r\nContent-Type: application/json" +
		"\r\n\r\n{}\r\n--b\r\nContent-Type: video/mp4\r\n\r\nxyz\r\n--b--\r\n",
	"GET /youtube/v3/videos?part=snippet,status&id=a,b HTTP/1.1\r\n" +
		"Host: e\r\nAuthorization: Bearer ch1\r\n\r\n",
	"PUT /youtube/v3/videos?part=snippet HTTP/1.1\r\nHost: e\r\n" +
		"Authorization: Bearer ch1\r\nContent-Length: 11\r\n\r\n{\"id\":\"x\"}\n",
	"POST /youtube/v3/playlistItems?part=snippet HTTP/1.1\r\nHost: e\r\n" +
		"Authorization: Bearer ch1\r\nContent-Length: 62\r\n\r\n" +
		`{"snippet":{"playlistId":"PL1","resourceId":{"videoId":"x"}}}` + "\n",
	"POST /upload/youtube/v3/thumbnails/set?videoId=x HTTP/1.1\r\n" +
		"Host: e\r\nAuthorization: Bearer ch1\r\nContent-Length: 3\r\n\r\npng",
	"GET /youtube/v3/channels?part=snippet,status&mine=true HTTP/1.1\r\n" +
		"Host: e\r\nAuthorization: Bearer ch1\r\n\r\n",
	"PUT /emulator/faults HTTP/1.1\r\nHost: e\r\nContent-Length: 21\r\n" +
		"\r\n{\"latency\":\"-1h\"}   ",
	"DELETE /youtube/v3/videos HTTP/1.1\r\nHost: e\r\n\r\n",
}

// FuzzRequest feeds arbitrary HTTP requests to a fresh emulator: it never
// panics, answers only statuses of the API, and every error has Google's
// body with a reason. Run: go test -fuzz FuzzRequest ./youtubeapi/emulator
func FuzzRequest(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	m, err := quota.Lookup("2026-06-01")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		srv, err := New(Config{Model: m, Seed: 7, Projects: []Project{{
			ID: "p1", Channels: []Channel{{ID: "ch1", UploadsPerDay: 5}}}}})
		if err != nil {
			t.Fatal(err)
		}
		id := openSession(t, srv)
		raw = bytes.ReplaceAll(raw, []byte("UPLOADID"), []byte(id))
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // not HTTP: the server's parser, not ours, refuses it
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}

func openSession(t *testing.T, srv *Server) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/upload/youtube/v3/videos?"+
		"uploadType=resumable&part=snippet", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer ch1")
	req.Header.Set("X-Upload-Content-Length", "10")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	loc := rec.Header().Get("Location")
	_, id, ok := strings.Cut(loc, "upload_id=")
	if rec.Code != 200 || !ok {
		t.Fatalf("open session = %d %q; want 200 with a Location", rec.Code,
			loc)
	}
	return id
}

func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	switch rec.Code {
	case 200, 201, 204, 308:
		return
	case 400, 401, 403, 404, 405, 503:
	default:
		t.Fatalf("status %d with body %s; want an API status", rec.Code,
			rec.Body)
	}
	var b errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("status %d: body %q is not Google's error JSON: %v",
			rec.Code, rec.Body, err)
	}
	if b.Error.Code != rec.Code || len(b.Error.Errors) != 1 ||
		b.Error.Errors[0].Reason == "" || b.Error.Errors[0].Domain == "" {
		t.Fatalf("status %d: error body %s lacks code, reason or domain",
			rec.Code, rec.Body)
	}
}
