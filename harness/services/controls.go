package services

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kill stops the server at once, as a crash would: SIGKILL to the server
// and all its processes, or docker kill. Open connections break; new ones fail until
// Restart. Kill on a paused server kills it too.
func (s *Service) Kill(ctx context.Context) error {
	if s.backend == nil {
		return fmt.Errorf("kill %s: %w", s, ErrNotControllable)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case stateRunning, statePaused:
	default:
		return fmt.Errorf("kill %s (%s): %w", s, s.state, ErrState)
	}
	return s.killLocked(ctx)
}

// killLocked kills a running or paused server; s.mu is held.
func (s *Service) killLocked(ctx context.Context) error {
	s.proxy.setUpstream("")
	err := s.backend.kill(ctx)
	s.proxy.closeConns()
	if err != nil {
		return fmt.Errorf("kill %s: %w", s, err)
	}
	s.state = stateKilled
	s.log.Info("killed", "service", s.String())
	return nil
}

// Pause freezes the server (SIGSTOP to all its processes, or docker
// pause): connections stay open but nothing is answered, so clients see
// timeouts, not errors.
func (s *Service) Pause(ctx context.Context) error {
	if s.backend == nil {
		return fmt.Errorf("pause %s: %w", s, ErrNotControllable)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stateRunning {
		return fmt.Errorf("pause %s (%s): %w", s, s.state, ErrState)
	}
	if err := s.backend.pause(ctx); err != nil {
		return fmt.Errorf("pause %s: %w", s, err)
	}
	s.state = statePaused
	s.log.Info("paused", "service", s.String())
	return nil
}

// Resume thaws a paused server; requests that were waiting go on.
func (s *Service) Resume(ctx context.Context) error {
	if s.backend == nil {
		return fmt.Errorf("resume %s: %w", s, ErrNotControllable)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != statePaused {
		return fmt.Errorf("resume %s (%s): %w", s, s.state, ErrState)
	}
	if err := s.backend.resume(ctx); err != nil {
		return fmt.Errorf("resume %s: %w", s, err)
	}
	s.state = stateRunning
	s.log.Info("resumed", "service", s.String())
	return nil
}

// Restart starts the server again on the same data and returns once it
// accepts connections at the same Addr. A running or paused server is
// killed first. PostgreSQL keeps every committed transaction; Redis keeps
// at most its last snapshot (the process provider runs it without one).
func (s *Service) Restart(ctx context.Context) error {
	if s.backend == nil {
		return fmt.Errorf("restart %s: %w", s, ErrNotControllable)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case stateRunning, statePaused:
		if err := s.killLocked(ctx); err != nil {
			return fmt.Errorf("restart: %w", err)
		}
	case stateClosed:
		return fmt.Errorf("restart %s (%s): %w", s, s.state, ErrState)
	}
	start := time.Now()
	upstream, err := s.backend.start(ctx)
	if err != nil {
		return fmt.Errorf("restart %s: %w", s, err)
	}
	s.proxy.setUpstream(upstream)
	s.state = stateRunning
	s.log.Info("restarted", "service", s.String(),
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// close removes the server and its proxy; later controls fail with
// ErrState. Closing twice is harmless.
func (s *Service) close(ctx context.Context) error {
	if s.backend == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateClosed {
		return nil
	}
	s.state = stateClosed
	s.proxy.close()
	err := s.backend.close(ctx)
	if err != nil {
		return fmt.Errorf("stop %s: %w", s, err)
	}
	s.log.Debug("stopped", "service", s.String())
	return nil
}

// closeAll closes services in reverse order and joins their errors.
func closeAll(ctx context.Context, ss []*Service) error {
	var errs []error
	for i := len(ss) - 1; i >= 0; i-- {
		errs = append(errs, ss[i].close(ctx))
	}
	return errors.Join(errs...)
}
