package services

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	require.NoError(t, cmd.Run())
	require.False(t, processAlive(cmd.Process.Pid), "pid reused at once")
	return cmd.Process.Pid
}

// TestReapLeftoverDirs leaves a directory as a crashed run would and
// checks that start-up removes it, but not one of a live owner.
func TestReapLeftoverDirs(t *testing.T) {
	dead := filepath.Join(os.TempDir(),
		tempPrefix+strconv.Itoa(deadPID(t))+"-0badcafe-redis-1")
	live := filepath.Join(os.TempDir(), tempPrefix+session+"-redis-1")
	for _, d := range []string{dead, live} {
		require.NoError(t, os.MkdirAll(filepath.Join(d, "data"), 0o755))
		t.Cleanup(func() { os.RemoveAll(d) })
	}
	reapLeftoverDirs()
	assert.NoDirExists(t, dead)
	assert.DirExists(t, live)
}

// TestReapLeftoverContainers leaves a container as a crashed run would
// (labelled with a dead owner) and checks that start-up removes it.
func TestReapLeftoverContainers(t *testing.T) {
	ctx := t.Context()
	tc, err := docker(ctx)
	if err != nil {
		t.Skipf("needs Docker: %v", err)
	}
	cli := tc.Client
	img := specs[KindRedis].image()
	if err := ensureImage(ctx, tc, img); err != nil {
		t.Skipf("needs image %s: %v", img, err)
	}
	l := labels()
	l[labelPID] = strconv.Itoa(deadPID(t))
	l[labelSession] = l[labelPID] + "-0badcafe"
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{Image: img, Labels: l},
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), res.ID,
			client.ContainerRemoveOptions{Force: true})
	})

	n, err := reapLeftovers(ctx, cli)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 1, "containers removed")
	_, err = cli.ContainerInspect(ctx, res.ID, client.ContainerInspectOptions{})
	assert.Error(t, err, "the leftover container after reaping")
}

// TestEnvUnreachable names an external server that does not answer: the
// env provider fails with the host and without the password.
func TestEnvUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	for kind, raw := range map[Kind]string{
		KindPostgres: "postgres://u:s3cret@" + addr + "/db",
		KindRedis:    "redis://:s3cret@" + addr + "/0",
		KindNeo4j:    "bolt://neo4j:s3cret@" + addr,
	} {
		t.Run(string(kind), func(t *testing.T) {
			t.Setenv(specs[kind].urlEnv, raw)
			_, err := fromEnv(t.Context(), kind, Logger(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), addr)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}
