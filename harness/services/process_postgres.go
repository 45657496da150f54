package services

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// startPostgresProcess initialises a cluster in a temporary directory and
// runs postgres on a free loopback port, with password authentication
// for the default user and a database named after it. fsync is off, as in
// the docker provider: a killed server keeps committed data (the kernel
// still has it), a crashed machine would not.
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

	// initdb as the server's user, with the password from a file.
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pwfile")
	err = os.WriteFile(pwfile, []byte(defaultPassword+"\n"), 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(initdb, "-D", data, "-U", defaultUser,
		"--pwfile="+pwfile, "--auth-local=trust",
		"--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale",
		"--no-sync", "--no-instructions")
	cmd.Dir, cmd.Env = dir, childEnv(dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if err := runChild(ctx, cmd, p.logPath); err != nil {
		return nil, fmt.Errorf("initdb: %w", err)
	}
	os.Remove(pwfile)
	log.Debug("initdb done", "took", time.Since(began).Round(time.Millisecond))

	p.command = func(port int) *exec.Cmd {
		return exec.Command(postgres, "-D", data,
			"-p", strconv.Itoa(port), "-k", data,
			"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	}
	upstream, err := p.start(ctx)
	if err != nil {
		return nil, err
	}
	log.Debug("postgres ready", "took",
		time.Since(began).Round(time.Millisecond))
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
