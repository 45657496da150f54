package main

import (
	"regexp"
	"strconv"
	"strings"
)

// configLine matches a configuration line of the Go benchmark format:
// a key that starts with a lower-case letter and holds no space or
// upper-case letter, a colon, a space.
var configLine = regexp.MustCompile(`^[a-z][^\sA-Z:]*: `)

// benchText keeps the lines of go test output that belong in a
// benchmark file: configuration lines (goos:, pkg:, cpu: ...), unit
// metadata ("Unit x better=higher") and result lines; test framing, logs
// and the bare names test2json prints before each result are dropped.
func benchText(output string) string {
	var b strings.Builder
	for line := range strings.Lines(output) {
		line = strings.TrimRight(line, "\r\n")
		if isBenchLine(line) {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func isBenchLine(line string) bool {
	switch {
	case strings.HasPrefix(line, "Unit "):
		return len(strings.Fields(line)) >= 3
	case strings.HasPrefix(line, "Benchmark"):
		// Name, iterations, then value-unit pairs.
		f := strings.Fields(line)
		if len(f) < 4 || len(f)%2 != 0 {
			return false
		}
		_, err := strconv.Atoi(f[1])
		return err == nil
	case strings.HasPrefix(line, "panic: "):
		return false
	}
	return configLine.MatchString(line)
}
