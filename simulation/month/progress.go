package month

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
)

// ProgressBar returns a Params.Progress callback that draws a one-line
// bar on w (a terminal), redrawn in place with a carriage return:
//
//	[##########..........]  50.0%  day 15.5  15.2M events  3.1s
//
// The last call (at 100%) ends the line. Write errors are ignored: a
// progress bar must not stop a run.
func ProgressBar(w io.Writer, width int) func(des.Progress) {
	width = max(width, 10)
	return func(p des.Progress) {
		done := int(p.Fraction * float64(width))
		bar := strings.Repeat("#", done) + strings.Repeat(".", width-done)
		end := ""
		if p.Fraction >= 1 {
			end = "\n"
		}
		fmt.Fprintf(w, "\r[%s] %5.1f%%  day %.1f  %.1fM events  %v%s", bar,
			100*p.Fraction, p.Now.Hours()/24, float64(p.Events)/1e6,
			p.Wall.Round(100*time.Millisecond), end)
	}
}
