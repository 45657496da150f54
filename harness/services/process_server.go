package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// procServer is a server run as a local child process: the backend of
// the process provider. Signals go to the server and all its descendants,
// as they would to every process of a container.
type procServer struct {
	kind    Kind
	dir     string              // temporary directory, removed by close
	cred    *syscall.Credential // nil: run as this process's user
	log     *slog.Logger        // events
	logPath string              // the server's output
	command func(port int) *exec.Cmd
	probe   func(ctx context.Context, addr string) error

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd has been waited for
}

// start launches the server on a fresh free port and waits until it
// accepts connections; it returns the server's address.
func (p *procServer) start(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, processStartTimeout)
	defer cancel()
	var err error
	// A port found free can be taken before the server binds it: retry.
	for try := 0; try < 3; try++ {
		var addr string
		addr, err = p.startOnce(ctx)
		if err == nil {
			return addr, nil
		}
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	return "", err
}

// killTimeout bounds waiting for killed processes to vanish.
const killTimeout = 30 * time.Second

// errPortTaken says that the server exited because its port was in use.
var errPortTaken = errors.New("port taken")

func (p *procServer) startOnce(ctx context.Context) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	out, err := os.OpenFile(p.logPath,
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return "", err
	}
	defer out.Close() // the child keeps its own copy
	mark := logSize(p.logPath)

	cmd := p.command(port)
	cmd.Dir = p.dir
	cmd.Env = childEnv(p.dir)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: p.cred}
	if err := startChild(cmd); err != nil {
		return "", fmt.Errorf("start %s: %w", filepath.Base(cmd.Path), err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	p.mu.Lock()
	p.cmd, p.exited = cmd, exited
	p.mu.Unlock()

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	err = waitReady(ctx, func(ctx context.Context) error {
		return p.probe(ctx, addr)
	}, exited)
	if err == nil {
		p.log.Debug("local server ready", "kind", p.kind, "addr", addr,
			"pid", cmd.Process.Pid)
		return addr, nil
	}
	p.kill(context.Background())
	tail := logSince(p.logPath, mark, 15)
	if strings.Contains(tail, "ddress already in use") {
		return "", fmt.Errorf("%s on port %d: %w", p.kind, port, errPortTaken)
	}
	return "", fmt.Errorf("%s not ready: %w\n%s", p.kind, err, tail)
}

// signal sends sig to the server and all its descendants. A process
// group would not do: PostgreSQL's backends call setsid. The server is
// stopped first, so that it forks nothing while its tree is walked; the
// signalled processes are returned.
func (p *procServer) signal(sig syscall.Signal) ([]int, error) {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	if cmd == nil {
		return nil, errors.New("not started")
	}
	select {
	case <-exited:
		// Waited for: its pid may belong to another process by now.
		return nil, nil
	default:
	}
	root := cmd.Process.Pid
	if sig != syscall.SIGCONT {
		if err := syscall.Kill(root, syscall.SIGSTOP); err != nil {
			if errors.Is(err, syscall.ESRCH) {
				return nil, nil // already gone
			}
			return nil, err
		}
	}
	tree := processTree(root)
	// Stop the children too, until the tree no longer grows.
	for sig != syscall.SIGCONT {
		for _, pid := range tree[1:] {
			syscall.Kill(pid, syscall.SIGSTOP)
		}
		again := processTree(root)
		if len(again) == len(tree) {
			break
		}
		tree = again
	}
	for _, pid := range tree {
		syscall.Kill(pid, sig)
	}
	return tree, nil
}

func (p *procServer) pause(context.Context) error {
	_, err := p.signal(syscall.SIGSTOP)
	return err
}

func (p *procServer) resume(context.Context) error {
	_, err := p.signal(syscall.SIGCONT)
	return err
}

// kill sends SIGKILL to the server and its descendants and waits until
// they are gone (a PostgreSQL restart fails while old backends still hold
// its shared memory).
func (p *procServer) kill(ctx context.Context) error {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	if cmd == nil {
		return nil
	}
	tree, err := p.signal(syscall.SIGKILL)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, killTimeout)
	defer cancel()
	select {
	case <-exited:
	case <-ctx.Done():
		return ctx.Err()
	}
	for _, pid := range tree {
		for processRunning(pid) {
			select {
			case <-ctx.Done():
				return fmt.Errorf("process %d still alive: %w", pid,
					ctx.Err())
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	return nil
}

// close kills the server and removes its directory.
func (p *procServer) close(ctx context.Context) error {
	err := p.kill(ctx)
	return errors.Join(err, removeDir(ctx, p.dir))
}

// procStat is what this package reads from /proc/<pid>/stat.
type procStat struct {
	pid, ppid int
	state     byte // R, S, D, T, Z, X, ...
}

// readStat parses /proc/<pid>/stat.
func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	// The command name may hold spaces: fields start after its ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 || len(f[0]) == 0 {
		return procStat{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	return procStat{pid: pid, ppid: ppid, state: f[0][0]}, true
}

// processRunning reports whether pid exists and is not a zombie.
func processRunning(pid int) bool {
	st, ok := readStat(pid)
	return ok && st.state != 'Z' && st.state != 'X'
}

// processTree returns root followed by its descendants.
func processTree(root int) []int {
	children := map[int][]int{}
	for _, pid := range allPIDs() {
		if st, ok := readStat(pid); ok {
			children[st.ppid] = append(children[st.ppid], pid)
		}
	}
	tree := []int{root}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree
}

// allPIDs lists the processes in /proc.
func allPIDs() []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// logSize returns the size of a log file, 0 if it does not exist.
func logSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logSince returns the last n lines written to a log after offset.
func logSince(path string, offset int64, n int) string {
	b, err := os.ReadFile(path)
	if err != nil || offset > int64(len(b)) {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b[offset:])), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
