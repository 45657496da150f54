package fault

import (
	"bytes"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// echoServer starts a TCP server on loopback that writes back what it
// reads, and returns its address.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// newProxy starts a Network with one proxy to an echo server.
func newProxy(t *testing.T) *Proxy {
	t.Helper()
	n := NewNetwork()
	t.Cleanup(n.Close)
	p, err := n.Proxy("echo", echoServer(t))
	require.NoError(t, err)
	return p
}

// roundTrip dials p, sends msg and reads as many bytes back, all under a
// 2 s deadline; it returns what came back and how long it took.
func roundTrip(t *testing.T, p *Proxy, msg []byte) ([]byte, time.Duration, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", p.Addr(), 2*time.Second)
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(2*time.Second)))
	start := time.Now()
	if _, err := c.Write(msg); err != nil {
		return nil, 0, err
	}
	got := make([]byte, len(msg))
	n, err := io.ReadFull(c, got)
	return got[:n], time.Since(start), err
}

func TestProxyPassesTrafficThrough(t *testing.T) {
	p := newProxy(t)
	msg := []byte("hello through the proxy")
	got, _, err := roundTrip(t, p, msg)
	require.NoError(t, err)
	require.Equal(t, msg, got)
}

func TestProxyToxics(t *testing.T) {
	msg := bytes.Repeat([]byte("0123456789"), 400) // 4000 bytes
	isTimeout := func(err error) bool {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout()
	}
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, got []byte, took time.Duration, err error)
	}{
		{"latency delays each direction",
			Fault{What: Latency, Params: Params{Latency: 100 * time.Millisecond}},
			func(t *testing.T, got []byte, took time.Duration, err error) {
				require.NoError(t, err)
				require.Equal(t, msg, got)
				require.GreaterOrEqual(t, took, 200*time.Millisecond)
			}},
		{"bandwidth delivers everything, slowly",
			Fault{What: Bandwidth, Params: Params{KilobytesPerSecond: 10,
				Stream: Downstream}},
			func(t *testing.T, got []byte, took time.Duration, err error) {
				require.NoError(t, err)
				require.Equal(t, msg, got)
				// 4000 B at 10 KB/s is 400 ms.
				require.GreaterOrEqual(t, took, 300*time.Millisecond)
			}},
		{"slicer delivers everything in pieces",
			Fault{What: Slicer, Params: Params{AverageSize: 16, SizeVariation: 8,
				Delay: 10 * time.Microsecond}},
			func(t *testing.T, got []byte, _ time.Duration, err error) {
				require.NoError(t, err)
				require.Equal(t, msg, got)
			}},
		{"limit_data closes after the limit",
			Fault{What: LimitData, Params: Params{Bytes: 1000,
				Stream: Downstream}},
			func(t *testing.T, got []byte, _ time.Duration, err error) {
				require.ErrorIs(t, err, io.ErrUnexpectedEOF)
				require.Len(t, got, 1000)
			}},
		{"reset_peer resets the connection",
			Fault{What: ResetPeer},
			func(t *testing.T, _ []byte, _ time.Duration, err error) {
				require.Error(t, err)
				require.True(t, errors.Is(err, syscall.ECONNRESET) ||
					errors.Is(err, io.EOF), "err = %v; want a reset", err)
			}},
		{"timeout without close holds the data",
			Fault{What: Timeout},
			func(t *testing.T, _ []byte, _ time.Duration, err error) {
				require.True(t, isTimeout(err), "err = %v; want a timeout", err)
			}},
		{"blackhole partition holds the data",
			Fault{What: Partition, Params: Params{Mode: Blackhole}},
			func(t *testing.T, _ []byte, _ time.Duration, err error) {
				require.True(t, isTimeout(err), "err = %v; want a timeout", err)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProxy(t)
			tox := tt.fault.toxic("t")
			require.NoError(t, p.AddToxic(tox))
			got, took, err := roundTrip(t, p, msg)
			tt.check(t, got, took, err)

			// Removing the toxic restores the link for new connections.
			require.NoError(t, p.RemoveToxic(tox))
			got, _, err = roundTrip(t, p, msg)
			require.NoError(t, err)
			require.Equal(t, msg, got)
		})
	}
}

func TestProxyRefusingPartition(t *testing.T) {
	p := newProxy(t)
	c, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })

	p.Disable()
	_, _, err = roundTrip(t, p, []byte("x"))
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	// The connection opened before the partition is closed.
	require.NoError(t, c.SetDeadline(time.Now().Add(2*time.Second)))
	_, err = c.Read(make([]byte, 1))
	require.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET),
		"read on an open connection = %v; want EOF or reset", err)

	require.NoError(t, p.Enable())
	got, _, err := roundTrip(t, p, []byte("back"))
	require.NoError(t, err)
	require.Equal(t, "back", string(got))
}

func TestNetworkErrors(t *testing.T) {
	n := NewNetwork()
	t.Cleanup(n.Close)
	_, err := n.Proxy("a", "127.0.0.1:1")
	require.NoError(t, err)
	_, err = n.Proxy("a", "127.0.0.1:1")
	require.ErrorContains(t, err, "already used")
	_, err = n.Proxy("b", "no-port")
	require.ErrorContains(t, err, "upstream")
	require.NotNil(t, n.Lookup("a"))

	n.Close()
	_, err = n.Proxy("c", "127.0.0.1:1")
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, n.Lookup("a").AddToxic(Toxic{Name: "x", Type: "latency",
		Stream: Both}), ErrClosed)
}
