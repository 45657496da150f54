package services

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"

	tclog "github.com/testcontainers/testcontainers-go/log"
)

// pkgLogger is where shared instances and provider set-up log.
var pkgLogger atomic.Pointer[slog.Logger]

func init() {
	pkgLogger.Store(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// SetLogger sets the logger of shared instances and provider set-up
// (testcontainers' own messages included, at debug level). The default
// discards everything. Safe for concurrent use.
func SetLogger(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	pkgLogger.Store(l)
}

func logger() *slog.Logger { return pkgLogger.Load() }

// Logger returns a logger that writes each record, debug level and up, to
// tb.Logf. Records that arrive after tb has finished are dropped.
func Logger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// tbWriter writes one slog record per Write to a test log.
type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	// Logf panics once a test without a parent has finished; a late
	// record from a background goroutine is not worth a crash.
	defer func() { _ = recover() }()
	w.tb.Logf("%s", bytes.TrimSpace(p))
	return len(p), nil
}

// tcLogger adapts slog to testcontainers' Printf logger.
type tcLogger struct{}

func (tcLogger) Printf(format string, v ...any) {
	logger().Debug(fmt.Sprintf(format, v...), "from", "testcontainers")
}

var _ tclog.Logger = tcLogger{}
