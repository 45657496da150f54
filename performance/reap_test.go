package performance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A work directory whose owner has exited is removed at the next start;
// one whose owner runs is kept.
func TestReapWorkDirs(t *testing.T) {
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	gone := filepath.Join(os.TempDir(),
		fmt.Sprintf("%s%d-reaptest", workPrefix, dead.Process.Pid))
	require.NoError(t, os.MkdirAll(gone, 0o700))
	t.Cleanup(func() { os.RemoveAll(gone) })
	mine := filepath.Join(os.TempDir(),
		fmt.Sprintf("%s%d-reaptest", workPrefix, os.Getpid()))
	require.NoError(t, os.MkdirAll(mine, 0o700))
	t.Cleanup(func() { os.RemoveAll(mine) })

	reapWorkDirs()

	_, err := os.Stat(gone)
	require.ErrorIs(t, err, os.ErrNotExist, "leftover of a dead owner")
	require.DirExists(t, mine, "directory of a running owner")
}
