package fault

import (
	"errors"
	"fmt"
	"net"
	"sync"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
)

// ErrClosed is returned by a Network or Proxy that has been closed.
var ErrClosed = errors.New("fault: network closed")

var silenceOnce sync.Once

// Network is an embedded toxiproxy server: a set of TCP proxies in this
// process, each between the clients and one service. It never opens
// toxiproxy's HTTP API. A Network is safe for concurrent use.
type Network struct {
	srv *toxiproxy.ApiServer

	mu      sync.Mutex
	proxies map[string]*Proxy
	closed  bool
}

// NewNetwork returns an empty Network. Close it when done; every proxy
// stops and every connection through it is closed.
func NewNetwork() *Network {
	silenceOnce.Do(func() { zlog.Logger = zerolog.Nop() })
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	return &Network{srv: srv, proxies: map[string]*Proxy{}}
}

// Proxy starts a proxy named name that listens on a free loopback port and
// forwards every connection to upstream (host:port). Names are unique in a
// Network; they are the targets a Schedule refers to.
func (n *Network) Proxy(name, upstream string) (*Proxy, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case n.closed:
		return nil, ErrClosed
	case name == "":
		return nil, fmt.Errorf("start proxy: empty name")
	case n.proxies[name] != nil:
		return nil, fmt.Errorf("start proxy %q: name already used", name)
	}
	if _, _, err := net.SplitHostPort(upstream); err != nil {
		return nil, fmt.Errorf("start proxy %q: upstream %q: %w", name, upstream, err)
	}

	tp := toxiproxy.NewProxy(n.srv, name, "127.0.0.1:0", upstream)
	if err := tp.Start(); err != nil {
		return nil, fmt.Errorf("start proxy %q: %w", name, err)
	}
	p := &Proxy{name: name, tp: tp, addr: tp.Listen}
	n.proxies[name] = p
	return p, nil
}

// Lookup returns the proxy named name, or nil.
func (n *Network) Lookup(name string) *Proxy {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proxies[name]
}

// Close stops every proxy. It is safe to call more than once.
func (n *Network) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closed = true
	for _, p := range n.proxies {
		p.close()
	}
}

// Proxy forwards connections from Addr to its upstream through a chain of
// toxics. It is safe for concurrent use.
type Proxy struct {
	name string
	addr string

	mu       sync.Mutex
	tp       *toxiproxy.Proxy
	disabled bool
	closed   bool
}

// Name returns the proxy's name in its Network.
func (p *Proxy) Name() string { return p.name }

// Addr returns the loopback host:port the clients dial. It stays the same
// across Disable and Enable.
func (p *Proxy) Addr() string { return p.addr }

// Upstream returns the host:port the proxy forwards to.
func (p *Proxy) Upstream() string { return p.tp.Upstream }

// AddToxic adds t to the proxy. It applies to open connections and to new
// ones until RemoveToxic. A toxic with Stream Both is added once per
// direction, under t.Name+"-up" and t.Name+"-down".
func (p *Proxy) AddToxic(t Toxic) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	bodies, err := t.json()
	if err != nil {
		return fmt.Errorf("add toxic to %s: %w", p.name, err)
	}
	for i, body := range bodies {
		if _, err := p.tp.Toxics.AddToxicJson(body); err != nil {
			for _, name := range t.names()[:i] {
				_ = p.tp.Toxics.RemoveToxic(bgctx, name)
			}
			return fmt.Errorf("add toxic %q to %s: %w", t.Name, p.name, err)
		}
	}
	return nil
}

// RemoveToxic removes the toxic that AddToxic added under name (both
// directions of a Both toxic).
func (p *Proxy) RemoveToxic(t Toxic) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	var errs []error
	for _, name := range t.names() {
		if err := p.tp.Toxics.RemoveToxic(bgctx, name); err != nil {
			errs = append(errs, fmt.Errorf("remove toxic %q from %s: %w",
				name, p.name, err))
		}
	}
	return errors.Join(errs...)
}

// Disable partitions the service away: the proxy stops listening, so new
// connections are refused, and every open connection is closed.
func (p *Proxy) Disable() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.disabled {
		return
	}
	p.tp.Stop()
	p.disabled = true
}

// Enable undoes Disable: the proxy listens again on the same address.
func (p *Proxy) Enable() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	if !p.disabled {
		return nil
	}
	if err := p.tp.Start(); err != nil {
		return fmt.Errorf("enable proxy %s on %s: %w", p.name, p.addr, err)
	}
	p.disabled = false
	return nil
}

func (p *Proxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.tp.Stop()
}
