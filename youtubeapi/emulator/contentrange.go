package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// contentRange is a parsed Content-Range request header of the resumable
// protocol. first and last are -1 for a status check ("bytes */total");
// total is -1 when unknown ("bytes a-b/*").
type contentRange struct {
	first, last, total int64
}

func (c contentRange) isStatus() bool { return c.first < 0 }

var errRangeSyntax = errors.New("want bytes a-b/total, bytes a-b/* " +
	"or bytes */total")

// parseContentRange parses s strictly: decimal numbers only, first <=
// last < total, and at least one of the range or the total given.
func parseContentRange(s string) (contentRange, error) {
	bad := func(why error) (contentRange, error) {
		return contentRange{}, fmt.Errorf("content-range %q: %w", s, why)
	}
	rest, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return bad(errRangeSyntax)
	}
	span, totalText, ok := strings.Cut(rest, "/")
	if !ok {
		return bad(errRangeSyntax)
	}
	c := contentRange{first: -1, last: -1, total: -1}
	if totalText != "*" {
		n, err := number(totalText)
		if err != nil {
			return bad(err)
		}
		c.total = n
	}
	if span == "*" {
		if c.total < 0 {
			return bad(errRangeSyntax)
		}
		return c, nil
	}
	a, b, ok := strings.Cut(span, "-")
	if !ok {
		return bad(errRangeSyntax)
	}
	var err error
	if c.first, err = number(a); err != nil {
		return bad(err)
	}
	if c.last, err = number(b); err != nil {
		return bad(err)
	}
	switch {
	case c.last < c.first:
		return bad(errors.New("last byte before first"))
	case c.total >= 0 && c.last >= c.total:
		return bad(errors.New("range beyond total"))
	}
	return c, nil
}

// number parses a non-negative decimal without sign or spaces.
func number(s string) (int64, error) {
	if s == "" || len(s) > 18 {
		return 0, errRangeSyntax
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, errRangeSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}
