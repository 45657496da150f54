package targets

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// FileName is the conventional name of the configuration file.
const FileName = "scale.yaml"

// EnvConfig names the environment variable that points at a scale.yaml to
// use instead of the one found by FindConfig.
const EnvConfig = "SCALETEST_CONFIG"

// Config is the whole of scale.yaml.
type Config struct {
	// Version is the schema version; only 1 exists.
	Version      int          `yaml:"version"`
	Targets      Targets      `yaml:"targets"`
	Workload     Workload     `yaml:"workload"`
	Processing   Processing   `yaml:"processing"`
	Architecture Architecture `yaml:"architecture"`
	Scales       Scales       `yaml:"scales"`
}

// Load reads and validates the configuration at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(filepath.Base(path), data)
}

// LoadDefault loads the file named by SCALETEST_CONFIG, else the
// scale.yaml found by FindConfig, else returns Default.
func LoadDefault() (*Config, error) {
	if p := os.Getenv(EnvConfig); p != "" {
		return Load(p)
	}
	p, err := FindConfig(".")
	if err != nil {
		return Default(), nil
	}
	return Load(p)
}

// FindConfig looks for scale.yaml in dir and its parents, stopping at the
// directory that holds go.mod, and returns its path.
func FindConfig(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find config: %w", err)
	}
	for {
		p := filepath.Join(abs, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(abs, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			break
		}
		abs = parent
	}
	return "", fmt.Errorf("find config: no %s above %s", FileName, dir)
}

// Parse decodes data over Default and validates the result. name is used
// in error messages ("scale.yaml:12: ..."). The error, when not nil, joins
// every problem found; each is a *FieldError.
func Parse(name string, data []byte) (*Config, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, errEOF) || len(bytes.TrimSpace(data)) == 0 {
			return nil, &FieldError{File: name, Msg: "file is empty"}
		}
		return nil, syntaxError(name, err)
	}
	lines := newLineIndex(&root)

	// Unknown keys first: they explain most type errors that follow.
	cfg := Default()
	if errs := checkKnown(name, &root, cfg); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := root.Decode(cfg); err != nil {
		return nil, typeError(name, err, lines)
	}
	if errs := cfg.validate(); len(errs) > 0 {
		for _, e := range errs {
			e.File = name
			e.Line = lines.line(e.Path)
		}
		return nil, joinFieldErrors(errs)
	}
	return cfg, nil
}
