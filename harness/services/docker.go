package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Start-up bounds of the docker provider.
const (
	dockerPingTimeout = 10 * time.Second
	// dockerPullTimeout bounds pulling one image. Without a reachable
	// registry a pull fails at once; this only stops a stalled one.
	dockerPullTimeout = 5 * time.Minute
	dockerStopTimeout = 30 * time.Second
)

// dockerEngine is the Docker client of this process, set up once.
var dockerEngine struct {
	once sync.Once
	cli  *testcontainers.DockerClient
	err  error

	mu     sync.Mutex
	images map[string]error // outcome of making each image present
}

// docker returns the Docker client, connecting on first use. Set-up:
// testcontainers logs to this package's logger; Ryuk stays off unless
// TESTCONTAINERS_RYUK_DISABLED says otherwise (the reaper of this package
// does its work, and its image may not be pullable); leftovers of dead
// owners are removed; the engine is registered with the reaper.
func docker(ctx context.Context) (*testcontainers.DockerClient, error) {
	e := &dockerEngine
	e.once.Do(func() {
		tclog.SetDefault(tcLogger{})
		if _, ok := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !ok {
			os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
		}
		ctx, cancel := context.WithTimeout(ctx, dockerPingTimeout)
		defer cancel()
		cli, err := testcontainers.NewDockerClientWithOpts(ctx)
		if err != nil {
			e.err = fmt.Errorf("no Docker engine: %w", err)
			return
		}
		if n, err := reapLeftovers(ctx, cli.Client); err != nil {
			logger().Warn("removing leftover containers", "err", err)
		} else if n > 0 {
			logger().Info("removed leftover containers", "count", n)
		}
		if err := reapOnExit("docker", cli.DaemonHost()); err != nil {
			cli.Close()
			e.err = err
			return
		}
		e.cli = cli
	})
	return e.cli, e.err
}

// ensureImage makes img present on the engine, pulling it if needed. The
// outcome is remembered: an image that could not be had is not tried
// again by this process.
func ensureImage(ctx context.Context, cli *testcontainers.DockerClient,
	img string) error {
	e := &dockerEngine
	e.mu.Lock()
	defer e.mu.Unlock()
	if err, ok := e.images[img]; ok {
		return err
	}
	err := pullIfMissing(ctx, cli.Client, img)
	if e.images == nil {
		e.images = map[string]error{}
	}
	e.images[img] = err
	return err
}

func pullIfMissing(ctx context.Context, cli *client.Client, img string) error {
	if _, err := cli.ImageInspect(ctx, img); err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, dockerPullTimeout)
	defer cancel()
	resp, err := cli.ImagePull(ctx, img, client.ImagePullOptions{})
	if err == nil {
		err = resp.Wait(ctx)
		resp.Close()
	}
	if err != nil {
		return fmt.Errorf("image %s is not present and cannot be pulled: %w",
			img, err)
	}
	return nil
}

// dockerServer is a server in a container: the backend of the docker
// provider.
type dockerServer struct {
	cli   *testcontainers.DockerClient
	ctr   testcontainers.Container
	port  string // the server's port in the container, "5432/tcp"
	probe func(ctx context.Context, addr string) error
	log   *slog.Logger
}

// addr returns the host address of the server's port now.
func (d *dockerServer) addr(ctx context.Context) (string, error) {
	host, err := d.ctr.Host(ctx)
	if err != nil {
		return "", err
	}
	p, err := d.ctr.MappedPort(ctx, d.port)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, p.Port()), nil
}

func (d *dockerServer) id() string { return d.ctr.GetContainerID() }

func (d *dockerServer) kill(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, killTimeout)
	defer cancel()
	_, err := d.cli.ContainerKill(ctx, d.id(),
		client.ContainerKillOptions{Signal: "KILL"})
	if err != nil {
		return fmt.Errorf("docker kill: %w", err)
	}
	// Wait until it has stopped, so that a start that follows is not
	// refused.
	res := d.cli.ContainerWait(ctx, d.id(), client.ContainerWaitOptions{})
	select {
	case <-res.Result:
		return nil
	case err := <-res.Error:
		return fmt.Errorf("docker wait: %w", err)
	}
}

// pause freezes the container's processes. The cgroup freezer can fail
// to settle on a busy machine ("unable to freeze"; runc thaws the
// container again), so pause and resume are retried a few times.
func (d *dockerServer) pause(ctx context.Context) error {
	return retry(ctx, func() error {
		_, err := d.cli.ContainerPause(ctx, d.id(),
			client.ContainerPauseOptions{})
		return err
	})
}

func (d *dockerServer) resume(ctx context.Context) error {
	return retry(ctx, func() error {
		_, err := d.cli.ContainerUnpause(ctx, d.id(),
			client.ContainerUnpauseOptions{})
		return err
	})
}

// retry calls f up to five times, 200 ms apart, until it succeeds.
func retry(ctx context.Context, f func() error) error {
	var err error
	for try := 0; try < 5; try++ {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return err
}

// start starts the stopped container again. Its host port changes, and
// testcontainers' wait strategies would read the old log, so readiness is
// probed directly.
func (d *dockerServer) start(ctx context.Context) (string, error) {
	_, err := d.cli.ContainerStart(ctx, d.id(), client.ContainerStartOptions{})
	if err != nil {
		return "", fmt.Errorf("docker start: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, processStartTimeout)
	defer cancel()
	var addr string
	err = waitReady(ctx, func(ctx context.Context) error {
		a, err := d.addr(ctx)
		if err != nil {
			return err
		}
		addr = a
		return d.probe(ctx, a)
	}, nil)
	if err != nil {
		return "", err
	}
	return addr, nil
}

// close removes the container and its volumes.
func (d *dockerServer) close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, dockerStopTimeout)
	defer cancel()
	err := d.ctr.Terminate(ctx, testcontainers.StopTimeout(0))
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("remove container %.12s: %w", d.id(), err)
	}
	return nil
}
