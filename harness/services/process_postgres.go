package services

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgBinDirs are where distributions put PostgreSQL server binaries that
// are not on PATH.
var pgBinDirs = []string{
	"/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin",
	"/usr/pgsql-*/bin",
}

// startPostgresProcess copies a cluster, initialised once per process, to
// a temporary directory and runs postgres on a free loopback port, with
// password authentication for the default user and a database named
// after it. fsync is off, as in the docker provider: a killed server keeps
// committed data (the kernel still has it), a crashed machine would not.
func startPostgresProcess(ctx context.Context, log *slog.Logger) (
	_ *Service, err error) {
	initdb, err := findBinary("initdb", pgBinDirs...)
	if err != nil {
		return nil, err
	}
	// postgres from the same installation as initdb.
	postgres := filepath.Join(filepath.Dir(realPath(initdb)), "postgres")
	if _, err := os.Stat(postgres); err != nil {
		return nil, fmt.Errorf("postgres beside initdb: %w", err)
	}
	cred, err := childCredential()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	dir, err := procDir(KindPostgres, cred)
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	p := &procServer{
		kind: KindPostgres, dir: dir, cred: cred, log: log,
		logPath: filepath.Join(dir, "server.log"),
		probe: func(ctx context.Context, addr string) error {
			return probePostgres(ctx, postgresAdminURL(addr))
		},
	}
	defer func() {
		if err != nil {
			p.close(context.Background())
		}
	}()

	// The cluster: a copy of this process's template.
	data := filepath.Join(dir, "data")
	tmpl, err := postgresTemplate(ctx, initdb, cred)
	if err != nil {
		return nil, err
	}
	if err := copyTree(tmpl, data, cred); err != nil {
		return nil, fmt.Errorf("copy the template cluster: %w", err)
	}
	log.Debug("cluster ready", "took", time.Since(began).Round(time.Millisecond))

	p.command = func(port int) *exec.Cmd {
		return exec.Command(postgres, "-D", data,
			"-p", strconv.Itoa(port), "-k", data,
			"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	}
	upstream, err := p.start(ctx)
	if err != nil {
		return nil, err
	}
	if err := createDatabase(ctx, upstream, defaultDatabase); err != nil {
		return nil, err
	}
	s, err := newService(KindPostgres, ProviderProcess, p, upstream, log)
	if err != nil {
		return nil, err
	}
	s.startup = time.Since(began)
	return s, nil
}

// pgTemplate is an initialised cluster that every local PostgreSQL of
// this process copies: initdb runs once per process, not once per server.
var pgTemplate struct {
	mu   sync.Mutex
	dir  string // temporary directory, removed by removePostgresTemplate
	data string // the cluster in it
}

// postgresTemplate returns the template cluster, running initdb as the
// server's user on first use. A failed initdb is tried again next time.
func postgresTemplate(ctx context.Context, initdb string,
	cred *syscall.Credential) (string, error) {
	t := &pgTemplate
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.data != "" {
		return t.data, nil
	}
	dir, err := procDir("pgtemplate", cred)
	if err != nil {
		return "", fmt.Errorf("temporary directory: %w", err)
	}
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pwfile")
	err = os.WriteFile(pwfile, []byte(defaultPassword+"\n"), 0o644)
	if err == nil {
		cmd := exec.Command(initdb, "-D", data, "-U", defaultUser,
			"--pwfile="+pwfile, "--auth-local=trust",
			"--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale",
			"--no-sync", "--no-instructions")
		cmd.Dir, cmd.Env = dir, childEnv(dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		err = runChild(ctx, cmd, filepath.Join(dir, "initdb.log"))
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("initdb: %w", err)
	}
	os.Remove(pwfile)
	t.dir, t.data = dir, data
	return data, nil
}

// removePostgresTemplate removes the template cluster, if any.
func removePostgresTemplate() error {
	t := &pgTemplate
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == "" {
		return nil
	}
	err := os.RemoveAll(t.dir)
	t.dir, t.data = "", ""
	return err
}

// copyTree copies directory src to dst (which may exist, empty), keeping
// permissions; files belong to cred when it is not nil.
func copyTree(src, dst string, cred *syscall.Credential) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry,
		err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			err = os.MkdirAll(target, info.Mode().Perm())
		case info.Mode().IsRegular():
			err = copyFile(path, target, info.Mode().Perm())
		default:
			return fmt.Errorf("%s: not a file or directory", path)
		}
		if err == nil && cred != nil {
			err = os.Lchown(target, int(cred.Uid), int(cred.Gid))
		}
		return err
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// createDatabase creates database name on the server at addr.
func createDatabase(ctx context.Context, addr, name string) error {
	conn, err := pgx.Connect(ctx, postgresAdminURL(addr))
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "CREATE DATABASE "+
		pgx.Identifier{name}.Sanitize())
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// realPath follows symbolic links; on error it returns path unchanged.
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}
