package services

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Labels on every container, and the environment of every child process,
// name the owning test binary so that nothing it starts outlives it.
const (
	labelSession = "scaletest.session" // session id: "<pid>-<hex>"
	labelPID     = "scaletest.pid"     // pid of the owning test binary
	labelHost    = "scaletest.host"    // host name of the owner

	// envSession is set on every child process to the session id.
	envSession = "SCALETEST_SERVICES_SESSION"
	// envReaper selects the reaper mode of a re-executed test binary.
	envReaper = "SCALETEST_SERVICES_REAPER"

	// tempPrefix starts the name of every temporary directory:
	// tempPrefix + session + "-" + kind + "-" + random.
	tempPrefix = "scaletest-services-"
)

// reaperGrace bounds how long the reaper retries its removals.
const reaperGrace = 30 * time.Second

// session identifies this test binary's resources.
var session = newSession()

func newSession() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b))
}

// labels returns the labels of a container owned by this process.
func labels() map[string]string {
	host, _ := os.Hostname()
	return map[string]string{
		labelSession: session,
		labelPID:     strconv.Itoa(os.Getpid()),
		labelHost:    host,
	}
}

// reaper is the detached helper process that outlives this one. It reads
// registrations from a pipe; when the pipe closes (this process exited,
// however it died) it removes what was registered.
var reaper struct {
	once sync.Once
	mu   sync.Mutex
	w    *os.File // write end; kept open for the life of the process
	err  error
}

// startReaper re-executes this binary in reaper mode, detached in its own
// session, with the read end of a pipe as file descriptor 3.
func startReaper() error {
	reaper.once.Do(func() {
		r, w, err := os.Pipe()
		if err != nil {
			reaper.err = fmt.Errorf("start reaper: %w", err)
			return
		}
		defer r.Close()
		cmd := exec.Command("/proc/self/exe")
		cmd.Args = []string{os.Args[0]}
		cmd.Env = append(os.Environ(), envReaper+"=1",
			envSession+"="+session)
		cmd.ExtraFiles = []*os.File{r}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			w.Close()
			reaper.err = fmt.Errorf("start reaper: %w", err)
			return
		}
		go cmd.Wait() // collect it should it end first
		reaper.w = w
	})
	return reaper.err
}

// reapOnExit registers something for the reaper: "docker <host>" or
// "dir <path>".
func reapOnExit(what, arg string) error {
	if err := startReaper(); err != nil {
		return err
	}
	reaper.mu.Lock()
	defer reaper.mu.Unlock()
	if _, err := fmt.Fprintf(reaper.w, "%s %s\n", what, arg); err != nil {
		return fmt.Errorf("register %s with the reaper: %w", what, err)
	}
	return nil
}

func init() {
	// Reaper mode needs both the variable and the pipe, so that a stray
	// variable in someone's environment cannot turn tests into a no-op.
	if os.Getenv(envReaper) == "1" && isPipe(3) {
		os.Exit(runReaper())
	}
}

// isPipe reports whether file descriptor fd is an open pipe.
func isPipe(fd int) bool {
	var st syscall.Stat_t
	return syscall.Fstat(fd, &st) == nil && st.Mode&syscall.S_IFMT ==
		syscall.S_IFIFO
}

// runReaper is the reaper's main: it waits for the owner to close the
// pipe, then removes the owner's containers and temporary directories.
func runReaper() int {
	pipe := os.NewFile(3, "reaper-pipe")
	hosts := map[string]bool{}
	var dirs []string
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		what, arg, _ := strings.Cut(sc.Text(), " ")
		switch what {
		case "docker":
			hosts[arg] = true
		case "dir":
			dirs = append(dirs, arg)
		}
	}
	// The owner is gone. Its children die with it (parent-death signal);
	// containers and directories are ours to remove.
	ctx, cancel := context.WithTimeout(context.Background(), reaperGrace)
	defer cancel()
	failed := false
	for host := range hosts {
		if err := removeSession(ctx, host, os.Getenv(envSession)); err != nil {
			failed = true
		}
	}
	for _, d := range dirs {
		if err := removeDir(ctx, d); err != nil {
			failed = true
		}
	}
	if failed {
		return 1
	}
	return 0
}

// removeSession removes every container of a session on a Docker host,
// twice in a row empty, so that a container whose creation was under way
// when the owner died goes too.
func removeSession(ctx context.Context, host, sess string) error {
	cli, err := client.New(client.FromEnv, client.WithHost(host))
	if err != nil {
		return err
	}
	defer cli.Close()
	empty := 0
	for empty < 2 {
		n, err := removeContainers(ctx, cli, labelSession+"="+sess, nil)
		if err != nil {
			return err
		}
		if n == 0 {
			empty++
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return nil
}

// removeContainers force-removes the containers that carry label (key=value)
// and that keep(labels) does not keep; it returns how many it found.
func removeContainers(ctx context.Context, cli *client.Client, label string,
	keep func(map[string]string) bool) (int, error) {
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", label),
	})
	if err != nil {
		return 0, fmt.Errorf("list containers: %w", err)
	}
	var errs []error
	n := 0
	for _, c := range res.Items {
		if keep != nil && keep(c.Labels) {
			continue
		}
		n++
		_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{
			Force: true, RemoveVolumes: true,
		})
		if err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("remove %.12s: %w", c.ID, err))
		}
	}
	return n, errors.Join(errs...)
}

// removeDir removes a directory, retrying while dying children may
// still write to it.
func removeDir(ctx context.Context, dir string) error {
	for {
		err := os.RemoveAll(dir)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// reapLeftovers removes containers of this host whose owning process is
// gone: the remains of runs whose reaper could not finish.
func reapLeftovers(ctx context.Context, cli *client.Client) (int, error) {
	host, _ := os.Hostname()
	return removeContainers(ctx, cli, labelHost+"="+host,
		func(l map[string]string) bool {
			pid, err := strconv.Atoi(l[labelPID])
			return err != nil || processAlive(pid)
		})
}

// reapLeftoverDirs removes temporary directories of dead owners.
func reapLeftoverDirs() {
	paths, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, p := range paths {
		rest := strings.TrimPrefix(filepath.Base(p), tempPrefix)
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || processAlive(pid) {
			continue
		}
		os.RemoveAll(p)
	}
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
