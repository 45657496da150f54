package services

import (
	"bufio"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greeter accepts connections and answers every line with its name.
func greeter(t *testing.T, name string) string {
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
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					io.WriteString(c, name+"\n")
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// ask sends a line on c and returns the answer.
func ask(c net.Conn) (string, error) {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "who?\n"); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return line, err
}

// TestProxy follows the proxy through a server's life: forward, break
// connections on kill, refuse while down, forward to the new address.
func TestProxy(t *testing.T) {
	p, err := newProxy(greeter(t, "first"), Logger(t))
	require.NoError(t, err)
	t.Cleanup(p.close)
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", p.Addr())
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}

	held := dial()
	got, err := ask(held)
	require.NoError(t, err)
	assert.Equal(t, "first\n", got)

	// Kill: the upstream goes, connections break, new ones are refused.
	p.setUpstream("")
	p.closeConns()
	_, err = ask(held)
	assert.Error(t, err, "ask on a connection of the killed server")
	_, err = ask(dial())
	assert.True(t, errors.Is(err, io.EOF) || isReset(err),
		"ask while down = %v; want EOF or reset", err)

	// Restart at a new address: the proxy's address is the same.
	p.setUpstream(greeter(t, "second"))
	got, err = ask(dial())
	require.NoError(t, err)
	assert.Equal(t, "second\n", got)
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}
