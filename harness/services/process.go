package services

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvProcessUser names the environment variable with the user that runs
// local servers when the tests run as root (default "nobody").
const EnvProcessUser = "SCALETEST_PROCESS_USER"

// processStartTimeout bounds a local server's start.
const processStartTimeout = time.Minute

// spawner starts child processes from one goroutine locked to its OS
// thread for the life of the process. The parent-death signal fires when
// the thread that forked the child exits, not the process: a child started
// from an ordinary goroutine could be killed when the runtime retires that
// thread.
var spawner struct {
	once sync.Once
	reqs chan spawnReq
}

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

// startChild starts cmd with SIGKILL as its parent-death signal, so that
// it dies with this process, however this process ends.
func startChild(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.reqs = make(chan spawnReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives on
			for r := range spawner.reqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	if err := setParentDeathSignal(cmd.SysProcAttr); err != nil {
		return err
	}
	done := make(chan error, 1)
	spawner.reqs <- spawnReq{cmd, done}
	return <-done
}

// childCredential returns the credential local servers run with: nil when
// this process is not root, else the unprivileged SCALETEST_PROCESS_USER.
func childCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	name := os.Getenv(EnvProcessUser)
	if name == "" {
		name = "nobody"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root needs an unprivileged user"+
			" (%s): %w", EnvProcessUser, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("user %s: %w", name, err)
	}
	if uid == 0 {
		return nil, fmt.Errorf("%s=%s is root; name an unprivileged user",
			EnvProcessUser, name)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// procDir creates the temporary directory of a local server, registered
// with the reaper before anything is written to it, with a data
// subdirectory owned by cred.
func procDir(kind Kind, cred *syscall.Credential) (dir string,
	err error) {
	reapLeftoverDirsOnce.Do(reapLeftoverDirs)
	if err := startReaper(); err != nil {
		return "", err
	}
	dir, err = os.MkdirTemp("", tempPrefix+session+"-"+string(kind)+"-")
	if err != nil {
		return "", err
	}
	if err := reapOnExit("dir", dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return "", err
	}
	if cred != nil {
		// The server's user must reach its data through the directory.
		if err := os.Chmod(dir, 0o755); err != nil {
			return "", err
		}
		err := os.Chown(data, int(cred.Uid), int(cred.Gid))
		if err != nil {
			return "", err
		}
	}
	return dir, nil
}

var reapLeftoverDirsOnce sync.Once

// findBinary looks a server binary up in PATH, then in the given
// directory patterns (newest version last in glob order wins).
func findBinary(name string, patterns ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, pat := range patterns {
		m, _ := filepath.Glob(filepath.Join(pat, name))
		if len(m) > 0 {
			return m[len(m)-1], nil
		}
	}
	where := "PATH"
	if len(patterns) > 0 {
		where += " or " + strings.Join(patterns, ", ")
	}
	return "", fmt.Errorf("%s not found in %s", name, where)
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// childEnv is the environment of a local server: minimal, plus the
// session so that leak checks can find every process.
func childEnv(dir string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"LC_ALL=C",
		envSession + "=" + session,
	}
}

// runChild runs a short-lived command (initdb) to completion as a child
// with the parent-death signal.
func runChild(ctx context.Context, cmd *exec.Cmd, logPath string) error {
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND,
		0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := startChild(cmd); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", filepath.Base(cmd.Path), err,
				logSince(logPath, 0, 15))
		}
		return nil
	case <-ctx.Done():
		cmd.Process.Kill()
		<-done
		return ctx.Err()
	}
}
