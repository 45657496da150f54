package services

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// proxyDialTimeout bounds how long the proxy waits to reach the server.
const proxyDialTimeout = 5 * time.Second

// proxy forwards TCP connections from a fixed loopback address to the
// server's current address, so that clients keep one address across
// restarts. While the upstream is empty (the server is down) it accepts
// and closes connections at once, as a dead server's host would refuse
// them.
type proxy struct {
	ln  net.Listener
	log *slog.Logger

	mu       sync.Mutex
	upstream string
	conns    map[net.Conn]struct{} // both ends of every forwarded pair
	closed   bool
	wg       sync.WaitGroup
}

// newProxy listens on a free loopback port and forwards to upstream.
func newProxy(upstream string, log *slog.Logger) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{
		ln: ln, log: log, upstream: upstream,
		conns: make(map[net.Conn]struct{}),
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr returns the proxy's host:port.
func (p *proxy) Addr() string { return p.ln.Addr().String() }

// setUpstream points new connections at addr; "" refuses them.
func (p *proxy) setUpstream(addr string) {
	p.mu.Lock()
	p.upstream = addr
	p.mu.Unlock()
}

// closeConns breaks every forwarded connection, as a crash does.
func (p *proxy) closeConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// close stops listening, breaks every connection and waits for the
// forwarding goroutines to finish.
func (p *proxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.closeConns()
	p.wg.Wait()
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				p.log.Warn("proxy accept", "err", err)
			}
			return
		}
		p.wg.Add(1)
		go p.forward(c)
	}
}

// forward dials the upstream for client c and copies both ways until
// either side closes.
func (p *proxy) forward(c net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	upstream, closed := p.upstream, p.closed
	p.mu.Unlock()
	if upstream == "" || closed {
		c.Close()
		return
	}
	u, err := net.DialTimeout("tcp", upstream, proxyDialTimeout)
	if err != nil {
		p.log.Debug("proxy dial", "upstream", upstream, "err", err)
		c.Close()
		return
	}
	if !p.track(c, u) {
		c.Close()
		u.Close()
		return
	}
	defer p.untrack(c, u)

	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		// Half-close so that the other direction can finish.
		if tc, ok := dst.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(u, c)
	go pipe(c, u)
	<-done
	<-done
}

// track registers a forwarded pair unless the proxy closed meanwhile.
func (p *proxy) track(c, u net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	p.conns[u] = struct{}{}
	return true
}

func (p *proxy) untrack(c, u net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, u)
	p.mu.Unlock()
	c.Close()
	u.Close()
}
