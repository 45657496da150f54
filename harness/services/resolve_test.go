package services

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProviders(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    []string
		wantErr bool
	}{
		{"", []string{"env", "docker", "process"}, false},
		{"docker", []string{"docker"}, false},
		{" process , docker ", []string{"process", "docker"}, false},
		{"docker,docker", []string{"docker"}, false},
		{"podman", nil, true},
		{"docker,", nil, true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(EnvProviders, tc.env)
			got, err := providers()
			if tc.wantErr {
				assert.Error(t, err, "providers() with %q", tc.env)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "providers() with %q", tc.env)
		})
	}
}

func TestRequired(t *testing.T) {
	unset := "<unset>"
	for _, tc := range []struct {
		ci, require string
		kind        Kind
		want        bool
	}{
		{"", unset, KindPostgres, false},
		{"true", unset, KindPostgres, true},
		{"true", unset, KindRedis, true},
		{"true", unset, KindNeo4j, false},
		{"true", "", KindPostgres, false},
		{"", "redis", KindRedis, true},
		{"", "redis", KindPostgres, false},
		{"", "postgres,neo4j", KindNeo4j, true},
	} {
		name := fmt.Sprintf("CI=%s,require=%s,%s", tc.ci, tc.require,
			tc.kind)
		t.Run(name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			setOrUnset(t, EnvRequire, tc.require, unset)
			got, err := required(tc.kind)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "required(%s)", tc.kind)
		})
	}
	t.Setenv(EnvRequire, "postgres,mysql")
	_, err := required(KindPostgres)
	assert.Error(t, err, "required with an unknown kind")
}

// setOrUnset sets an environment variable for t, or unsets it when v is
// the unset marker.
func setOrUnset(t *testing.T, key, v, unset string) {
	t.Helper()
	t.Setenv(key, "")
	if v == unset {
		require.NoError(t, unsetenv(key))
		return
	}
	t.Setenv(key, v)
}

// fakeTB records what missing does instead of ending the test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
}

// TestUnavailable resolves with only the env provider and no URL: the
// test is skipped with the reason, or failed where the kind is required.
func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name      string
		kind      Kind
		dedicated bool
		ci        string
		wantFail  bool
	}{
		{"postgres", KindPostgres, false, "", false},
		{"postgres under CI", KindPostgres, false, "true", true},
		{"redis under CI", KindRedis, false, "true", true},
		{"neo4j under CI", KindNeo4j, false, "true", false},
		// No provider applies: an external server is never dedicated.
		{"dedicated postgres under CI", KindPostgres, true, "true", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp := specs[tc.kind]
			t.Setenv(EnvProviders, "env")
			t.Setenv(sp.urlEnv, "")
			t.Setenv("CI", tc.ci)
			require.NoError(t, unsetenv(EnvRequire))

			_, err := resolve(t.Context(), tc.kind, tc.dedicated, Logger(t))
			var u *Unavailable
			require.True(t, errors.As(err, &u), "resolve() = %v; want "+
				"*Unavailable", err)
			msg := u.Error()
			for _, want := range []string{sp.title, "env: ",
				"To provide one", sp.urlEnv} {
				assert.Contains(t, msg, want)
			}
			if !tc.dedicated {
				assert.Contains(t, msg, sp.urlEnv+" is not set")
			}

			f := &fakeTB{TB: t}
			missing(f, tc.kind, err)
			if tc.wantFail {
				assert.Contains(t, f.failed, "To provide one")
				assert.Empty(t, f.skipped)
			} else {
				assert.Contains(t, f.skipped, "To provide one")
				assert.Empty(t, f.failed)
			}
		})
	}
}

func TestServiceURL(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		want string
	}{
		{KindPostgres, "postgres://scaletest:scaletest@127.0.0.1:5000/" +
			"scaletest?sslmode=disable"},
		{KindRedis, "redis://127.0.0.1:5000/0"},
		{KindNeo4j, "bolt://neo4j:scaletest@127.0.0.1:5000"},
	} {
		s, err := newService(tc.kind, ProviderProcess, nil,
			"127.0.0.1:1", Logger(t))
		require.NoError(t, err)
		s.proxy.close()
		s.addr = "127.0.0.1:5000"
		assert.Equal(t, tc.want, s.URL(), "URL() of %s", tc.kind)
		assert.False(t, strings.Contains(s.String(), "scaletest@"),
			"String() = %q shows the password", s.String())
	}
}
