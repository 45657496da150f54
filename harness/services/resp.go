package services

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// redisConn is a minimal RESP client for what this package itself asks
// of Redis (PING, SCAN, UNLINK). go-redis would do, but it reports dial
// failures on a process-wide logger, and this package never prints.
type redisConn struct {
	c net.Conn
	r *bufio.Reader
}

// redisError is an error reply of the server.
type redisError string

func (e redisError) Error() string { return "redis: " + string(e) }

// dialRedis connects to the server of a redis:// or rediss:// URL,
// authenticates with its user information and selects its database.
func dialRedis(ctx context.Context, rawURL string) (*redisConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	addr := hostPort(u, "6379")
	d := &net.Dialer{Timeout: probeTimeout}
	var c net.Conn
	switch u.Scheme {
	case "redis":
		c, err = d.DialContext(ctx, "tcp", addr)
	case "rediss":
		td := &tls.Dialer{NetDialer: d,
			Config: &tls.Config{ServerName: u.Hostname()}}
		c, err = td.DialContext(ctx, "tcp", addr)
	default:
		return nil, fmt.Errorf("redis URL scheme %q; want redis or rediss",
			u.Scheme)
	}
	if err != nil {
		return nil, err
	}
	rc := &redisConn{c: c, r: bufio.NewReader(c)}
	if u.User != nil {
		args := []string{"AUTH"}
		if name := u.User.Username(); name != "" {
			args = append(args, name)
		}
		pw, _ := u.User.Password()
		if _, err := rc.do(ctx, append(args, pw)...); err != nil {
			rc.Close()
			return nil, err
		}
	}
	if db := strings.Trim(u.Path, "/"); db != "" && db != "0" {
		if _, err := rc.do(ctx, "SELECT", db); err != nil {
			rc.Close()
			return nil, err
		}
	}
	return rc, nil
}

func (rc *redisConn) Close() error { return rc.c.Close() }

// do sends a command and reads its reply: a string, an int64, nil or a
// []any of those; an error reply is a redisError.
func (rc *redisConn) do(ctx context.Context, args ...string) (any, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(probeTimeout)
	}
	rc.c.SetDeadline(deadline)
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(rc.c, b.String()); err != nil {
		return nil, err
	}
	return rc.reply()
}

func (rc *redisConn) reply() (any, error) {
	line, err := rc.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("redis: empty reply")
	}
	body := line[1:]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return nil, redisError(body)
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rc.r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = rc.reply(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("redis: unexpected reply %q", line)
}
