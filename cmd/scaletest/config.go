package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"

	"github.com/scaletest/scaletest/harness/targets"
)

// configHelp is the help of every command's -config flag.
const configHelp = "scale.yaml `file` (default: $SCALETEST_CONFIG, else the one in the module)"

// loadConfigFor reads scale.yaml: path, else SCALETEST_CONFIG, else the
// scale.yaml of the module at root, else the built-in defaults. It
// returns the configuration, the absolute path of the file (empty for the
// defaults) and the file's bytes.
func loadConfigFor(path, root string) (*targets.Config, string, []byte, error) {
	p := cmp.Or(path, os.Getenv(targets.EnvConfig))
	if p == "" && root != "" {
		if found, err := targets.FindConfig(root); err == nil {
			p = found
		}
	}
	if p == "" {
		return targets.Default(), "", nil, nil
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, "", nil, fmt.Errorf("config: %w", err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, "", nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := targets.Parse(abs, data)
	if err != nil {
		return nil, "", nil, fmt.Errorf("config:\n%w", err)
	}
	return cfg, abs, data, nil
}
