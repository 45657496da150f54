package services

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// startRedisProcess runs redis-server on a free loopback port with its
// working directory in a temporary directory and without persistence.
func startRedisProcess(ctx context.Context, log *slog.Logger) (
	_ *Service, err error) {
	bin, err := findBinary("redis-server")
	if err != nil {
		return nil, err
	}
	cred, err := childCredential()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	dir, err := procDir(KindRedis, cred)
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	p := &procServer{
		kind: KindRedis, dir: dir, cred: cred, log: log,
		logPath: filepath.Join(dir, "server.log"),
		probe: func(ctx context.Context, addr string) error {
			return probeRedis(ctx, "redis://"+addr+"/0")
		},
	}
	defer func() {
		if err != nil {
			p.close(context.Background())
		}
	}()

	// The configuration comes on the command line after a base file, so
	// each start can name its own port.
	conf := filepath.Join(dir, "redis.conf")
	base := fmt.Sprintf("dir %s\nsave \"\"\nappendonly no\n"+
		"protected-mode no\ndaemonize no\nlogfile \"\"\n",
		filepath.Join(dir, "data"))
	if err := os.WriteFile(conf, []byte(base), 0o644); err != nil {
		return nil, err
	}
	p.command = func(port int) *exec.Cmd {
		return exec.Command(bin, conf, "--port", fmt.Sprint(port),
			"--bind", "127.0.0.1")
	}
	upstream, err := p.start(ctx)
	if err != nil {
		return nil, err
	}
	s, err := newService(KindRedis, ProviderProcess, p, upstream, log)
	if err != nil {
		return nil, err
	}
	s.startup = time.Since(began)
	return s, nil
}
