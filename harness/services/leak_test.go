package services

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envLeakHelper selects the helper mode of TestLeakHelper and names the
// file it reports to.
const envLeakHelper = "SCALETEST_SERVICES_LEAK_HELPER"

// leakGrace bounds the wait for a dead owner's resources to go: the
// reaper's removals and dying PostgreSQL backends.
const leakGrace = time.Minute

// census counts what an owner process has started.
type census struct {
	Containers int // labelled with the owner's pid
	Processes  int // see ownedBy
	Children   int // of those, direct children of the owner
	Dirs       int // temporary directories of the owner (for this
	// process, the PostgreSQL template cluster aside)
}

func (c census) zero() bool { return c == census{} }

// takeCensus counts the resources of the test binary with this pid.
// Zombies, which hold nothing, are not counted.
func takeCensus(t *testing.T, pid int) census {
	t.Helper()
	var c census
	if cli := censusDocker(t); cli != nil {
		res, err := cli.ContainerList(t.Context(), client.ContainerListOptions{
			All: true,
			Filters: make(client.Filters).Add("label",
				labelPID+"="+strconv.Itoa(pid)),
		})
		require.NoError(t, err)
		c.Containers = len(res.Items)
	}
	for _, p := range allPIDs() {
		st, ok := readStat(p)
		if !ok || st.state == 'Z' || st.state == 'X' || !ownedBy(p, pid) {
			continue
		}
		c.Processes++
		if st.ppid == pid {
			c.Children++
		}
	}
	dirs, err := filepath.Glob(dirPrefix(pid) + "*")
	require.NoError(t, err)
	for _, d := range dirs {
		// The template cluster lives as long as the process.
		if !strings.Contains(d, "-pgtemplate-") || pid != os.Getpid() {
			c.Dirs++
		}
	}
	return c
}

// dirPrefix starts the paths of the temporary directories of the owner
// with this pid.
func dirPrefix(pid int) string {
	return filepath.Join(os.TempDir(), tempPrefix+strconv.Itoa(pid)+"-")
}

// ownedBy reports whether process p belongs to the owner with this pid:
// it works in one of the owner's temporary directories (servers rewrite
// their environment for their process titles, but not their working
// directory), or its environment names the owner's session (the reaper).
func ownedBy(p, pid int) bool {
	proc := "/proc/" + strconv.Itoa(p)
	if cwd, err := os.Readlink(proc + "/cwd"); err == nil &&
		strings.HasPrefix(cwd, dirPrefix(pid)) {
		return true
	}
	env, err := os.ReadFile(proc + "/environ")
	mark := []byte(envSession + "=" + strconv.Itoa(pid) + "-")
	return err == nil && hasEnvEntry(env, mark)
}

// hasEnvEntry reports whether a NUL-separated environment has an entry
// starting with prefix.
func hasEnvEntry(env, prefix []byte) bool {
	for _, e := range bytes.Split(env, []byte{0}) {
		if bytes.HasPrefix(e, prefix) {
			return true
		}
	}
	return false
}

// censusDocker returns a client of the Docker engine, or nil if none
// answers: then no container can have been started either.
func censusDocker(t *testing.T) *client.Client {
	t.Helper()
	if dockerEngine.cli != nil {
		return dockerEngine.cli.Client
	}
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil
	}
	t.Cleanup(func() { cli.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return nil
	}
	return cli
}

// waitNoLeak waits until nothing of the owner with this pid is left.
func waitNoLeak(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(leakGrace)
	c := takeCensus(t, pid)
	for !c.zero() && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond) // polling the system, no sync
		c = takeCensus(t, pid)
	}
	assert.Zero(t, c, "left by process %d after %v", pid, leakGrace)
}

// leakCheck counts this binary's containers, server processes and
// temporary directories before dedicated servers start and after their
// test has ended, and checks that every process of theirs is gone.
type leakCheck struct {
	before, during census
	provider       string
	pids           []int // the servers' process trees at their close
}

// newLeakCheck takes the census before.
func newLeakCheck(t *testing.T) *leakCheck {
	t.Helper()
	require.NoError(t, startReaper()) // it lives as long as the binary
	return &leakCheck{before: takeCensus(t, os.Getpid())}
}

// track notes dedicated server s of subtest t; call it right after the
// New function, so that its snapshot runs before the server's close.
func (l *leakCheck) track(t *testing.T, s *Service) {
	t.Helper()
	l.provider = s.Provider()
	l.during = takeCensus(t, os.Getpid())
	t.Cleanup(func() {
		if p, ok := s.backend.(*procServer); ok {
			l.pids = append(l.pids, processTree(p.cmd.Process.Pid)...)
		}
	})
}

// verify takes the census after and compares.
func (l *leakCheck) verify(t *testing.T) {
	t.Helper()
	if l.provider == "" {
		return // nothing started
	}
	after := takeCensus(t, os.Getpid())
	t.Logf("census before %+v, during %+v, after %+v", l.before, l.during,
		after)
	switch l.provider {
	case ProviderDocker:
		assert.Equal(t, l.before.Containers+1, l.during.Containers,
			"containers during")
	case ProviderProcess:
		assert.Equal(t, l.before.Children+1, l.during.Children,
			"servers during")
		assert.Equal(t, l.before.Dirs+1, l.during.Dirs, "directories during")
	}
	assert.Equal(t, l.before.Containers, after.Containers, "containers after")
	assert.Equal(t, l.before.Children, after.Children, "servers after")
	assert.Equal(t, l.before.Dirs, after.Dirs, "directories after")
	for _, p := range l.pids {
		assert.False(t, processRunning(p), "process %d after", p)
	}
}

// leakReport is what the helper child writes once its servers run.
type leakReport struct {
	Census    census
	Providers []string
}

// TestNoLeakWhenKilledByTimeout runs this test binary as a child that
// has a shared PostgreSQL (started by TestMain) and a dedicated Redis
// (started by the test) when it dies of its own -test.timeout: no cleanup
// runs. Everything it started must go anyway.
func TestNoLeakWhenKilledByTimeout(t *testing.T) {
	if os.Getenv(envLeakHelper) != "" {
		t.Skip("in the helper child")
	}
	// The child starts these in the same way: size its timeout on the
	// Redis start, the only one its clock sees.
	Postgres(t)
	timeout := 3*Redis(t).StartupTime() + 5*time.Second
	for try := 1; ; try++ {
		rep, ok := runLeakChild(t, timeout)
		if ok {
			t.Logf("child had %+v from %v before its timeout of %v",
				rep.Census, rep.Providers, timeout)
			assert.Positive(t, rep.Census.Containers+rep.Census.Processes,
				"the child started nothing")
			return
		}
		if try == 3 {
			t.Fatalf("the helper child was never ready within its timeout "+
				"(last %v)", timeout)
		}
		timeout *= 2 // it died starting up: leak-free, but try again
	}
}

// runLeakChild runs the helper child with the given -test.timeout, checks
// that the timeout killed it and that it leaked nothing, and returns its
// report, if it got as far as writing one.
func runLeakChild(t *testing.T, timeout time.Duration) (leakReport, bool) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakHelper$",
		"-test.v", "-test.timeout="+timeout.String())
	cmd.Env = append(os.Environ(), envLeakHelper+"="+report)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	pid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.Error(t, err, "the child should have died of its timeout")
	case <-time.After(timeout + leakGrace):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the child outlived its -test.timeout=%v:\n%s", timeout,
			out.String())
	}
	require.Contains(t, out.String(), "panic: test timed out",
		"the child's end")
	waitNoLeak(t, pid)

	b, err := os.ReadFile(report)
	if os.IsNotExist(err) {
		t.Logf("child %d died before it was ready (timeout %v)", pid, timeout)
		return leakReport{}, false
	}
	require.NoError(t, err)
	var rep leakReport
	require.NoError(t, json.Unmarshal(b, &rep))
	return rep, true
}

// TestLeakHelper is the child of TestNoLeakWhenKilledByTimeout: it starts
// servers, reports, and waits for its -test.timeout.
func TestLeakHelper(t *testing.T) {
	report := os.Getenv(envLeakHelper)
	if report == "" {
		t.Skip("runs only as the child of TestNoLeakWhenKilledByTimeout")
	}
	pg := Postgres(t) // shared: Main never gets to stop it
	rd := NewRedis(t) // dedicated: its cleanup never runs
	rep := leakReport{
		Census:    takeCensus(t, os.Getpid()),
		Providers: []string{pg.Provider(), rd.Provider()},
	}
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	tmp := report + ".tmp"
	require.NoError(t, os.WriteFile(tmp, b, 0o644))
	require.NoError(t, os.Rename(tmp, report))
	fmt.Println("ready; waiting for -test.timeout")
	<-make(chan struct{})
}
