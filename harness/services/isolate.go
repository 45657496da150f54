package services

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// cleanupTimeout bounds dropping a test's database or keys.
const cleanupTimeout = 30 * time.Second

// Database creates a fresh, empty PostgreSQL database for tb on this
// server and returns its URL; it is dropped (connections and all) when tb
// ends. Parallel tests on one shared server stay apart this way. It fails
// tb if s is not PostgreSQL or the database cannot be created.
func (s *Service) Database(tb testing.TB) string {
	tb.Helper()
	if s.kind != KindPostgres {
		tb.Fatalf("services: Database on %s; want postgres", s.kind)
	}
	name := "t_" + testName(tb, 40) + "_" + randomHex(4)
	admin := s.URL()
	ctx := tb.Context()
	if err := s.createDatabase(ctx, admin, name); err != nil {
		tb.Fatalf("services: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(),
			cleanupTimeout)
		defer cancel()
		if err := dropDatabase(ctx, admin, name); err != nil {
			// The server may be down on purpose; nothing to fail for.
			tb.Logf("services: %v", err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("services: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// createDatabase creates name, retrying while another CREATE DATABASE
// holds the template (SQLSTATE 55006).
func (s *Service) createDatabase(ctx context.Context, admin,
	name string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	for try := 0; ; try++ {
		_, err = conn.Exec(ctx, stmt)
		var pe *pgconn.PgError
		if err == nil || try == 20 ||
			!errors.As(err, &pe) || pe.Code != "55006" {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

func dropDatabase(ctx context.Context, admin, name string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+
		pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// KeyPrefix returns a key prefix of tb's own on this Redis server, such as
// "t:TestCache:1f2e3d4c:"; every key that starts with it is deleted when
// tb ends. It fails tb if s is not Redis.
func (s *Service) KeyPrefix(tb testing.TB) string {
	tb.Helper()
	if s.kind != KindRedis {
		tb.Fatalf("services: KeyPrefix on %s; want redis", s.kind)
	}
	prefix := "t:" + testName(tb, 60) + ":" + randomHex(4) + ":"
	raw := s.URL()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(),
			cleanupTimeout)
		defer cancel()
		if err := deleteKeys(ctx, raw, prefix); err != nil {
			tb.Logf("services: %v", err)
		}
	})
	return prefix
}

// deleteKeys unlinks every key that starts with prefix. The prefix holds
// no glob characters (testName keeps letters, digits and '_').
func deleteKeys(ctx context.Context, rawURL, prefix string) error {
	rc, err := dialRedis(ctx, rawURL)
	if err != nil {
		return fmt.Errorf("delete keys %s*: %w", prefix, err)
	}
	defer rc.Close()
	cursor := "0"
	for {
		r, err := rc.do(ctx, "SCAN", cursor, "MATCH", prefix+"*",
			"COUNT", "1000")
		if err != nil {
			return fmt.Errorf("delete keys %s*: %w", prefix, err)
		}
		page, ok := r.([]any)
		if !ok || len(page) != 2 {
			return fmt.Errorf("delete keys %s*: SCAN answered %v", prefix, r)
		}
		keys, _ := page[1].([]any)
		if len(keys) > 0 {
			args := []string{"UNLINK"}
			for _, k := range keys {
				args = append(args, fmt.Sprint(k))
			}
			if _, err := rc.do(ctx, args...); err != nil {
				return fmt.Errorf("delete keys %s*: %w", prefix, err)
			}
		}
		if cursor = fmt.Sprint(page[0]); cursor == "0" {
			return nil
		}
	}
}

// testName returns tb's name reduced to letters, digits and '_', at most
// n bytes, lower case (PostgreSQL folds identifiers).
func testName(tb testing.TB, n int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(tb.Name()) {
		if b.Len() >= n {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
