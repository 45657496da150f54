package upload

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// childEnv, when set, makes the test binary an uploader child process.
const childEnv = "YTUPLOAD_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childUpload())
	}
	// benchstat learns the direction of custom units from these lines.
	fmt.Println("Unit link-fraction better=higher")
	os.Exit(m.Run())
}

// childUpload uploads testMedia(YTUPLOAD_SIZE) to YTUPLOAD_ENDPOINT with
// sessions in YTUPLOAD_DIR, until done or killed.
func childUpload() int {
	size, err := strconv.Atoi(os.Getenv("YTUPLOAD_SIZE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: YTUPLOAD_SIZE:", err)
		return 2
	}
	u := &Uploader{HTTP: Bearer("ch", nil),
		Endpoint: os.Getenv("YTUPLOAD_ENDPOINT"), ChunkSize: Granule,
		Sessions: FileStore{Dir: os.Getenv("YTUPLOAD_DIR")}}
	req := request("killed", testMedia(size))
	if _, err := u.Upload(context.Background(), req); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}
