package refinput

import (
	"fmt"
	"strconv"
	"strings"
)

// The text of every screen is a grid of 160 x 45 character cells, scaled
// to the frame as a display scales a terminal font: 8 x 16 pixels a cell
// at 720p, 12 x 24 at 1080p, 16 x 32 at 1440p. Which cells hold a glyph
// comes from a seeded cellular automaton (lavfi cellauto); the strokes of
// the glyphs from a second one at four by eight points a cell, with gaps
// between cells and lines, so glyphs have the thin edges of real text.
const (
	gridCols = 160
	gridRows = 45
)

// Args returns the ffmpeg arguments that generate in, without the output
// file name: lavfi inputs, the filter graph and the encoder settings of
// an uploaded recording (x264 veryfast at the source bitrate, keyframes
// every two seconds, AAC 128 kbit/s stereo). Threads are pinned and
// bit-exact flags set, so the bytes depend only on the recipe and the
// ffmpeg build.
func (in Input) Args() []string {
	fps := strconv.Itoa(in.FPS)
	kbps := strconv.Itoa(int(in.SourceMbps * 1000))
	return []string{
		"-filter_complex", in.graph(),
		"-map", "[v]", "-map", "[a]",
		"-t", strconv.FormatFloat(in.Seconds(), 'f', 3, 64),
		"-c:v", "libx264", "-preset", "veryfast", "-threads", "2",
		"-b:v", kbps + "k", "-maxrate", kbps + "k",
		"-bufsize", strconv.Itoa(2*int(in.SourceMbps*1000)) + "k",
		"-g", strconv.Itoa(2 * in.FPS), "-r", fps, "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
		"-map_metadata", "-1", "-fflags", "+bitexact",
		"-flags:v", "+bitexact", "-flags:a", "+bitexact",
		"-f", "mp4",
	}
}

// graph is the filter graph: video on [v], audio on [a].
func (in Input) graph() string {
	var g []string
	switch in.Kind {
	case Terminal:
		g = in.terminal()
	case Code:
		g = in.code("v")
	case Slides:
		g = in.slides()
	case TalkingHead:
		g = append(in.code("screen"), in.camera("cam")...)
		g = append(g, fmt.Sprintf("[screen][cam]overlay=x=%d:y=%d[v]",
			in.Width()-in.Width()/5-in.Width()/40,
			in.Height-in.Height/5-in.Height/40))
	}
	return strings.Join(append(g, in.speech()...), ";")
}

// glyphs renders the cells on [cells] (gray, 160 x 45, 255 where a glyph
// is) as white glyph strokes at the frame size on [out]. rate is the
// frame rate of the cells.
func (in Input) glyphs(cells, out, rate string) []string {
	w, h := in.Width(), in.Height
	return []string{
		fmt.Sprintf("[%s]scale=%d:%d:flags=neighbor[%s_big]", cells, w, h, out),
		// Static strokes: a rule-30 pattern masked to leave a column
		// and two rows of gap in each cell.
		fmt.Sprintf("cellauto=rule=30:random_seed=%d:size=%dx%d:rate=%s,"+
			"format=gray,trim=end_frame=1,"+
			"geq=lum='p(X,Y)*lt(mod(X,4),3)*gt(mod(Y,8),0)*lt(mod(Y,8),7)',"+
			"scale=%d:%d:flags=neighbor,loop=loop=-1:size=1[%s_strokes]",
			in.Seed+1, gridCols*4, gridRows*8, rate, w, h, out),
		fmt.Sprintf("[%s_big]format=gray[%s_bg];[%s_strokes]format=gray[%s_fg];"+
			"[%s_bg][%s_fg]blend=all_mode=multiply,format=gray[%s]",
			out, out, out, out, out, out, out),
	}
}

// terminal: light glyphs on a dark background scrolling four lines a
// second.
func (in Input) terminal() []string {
	g := []string{fmt.Sprintf(
		"cellauto=rule=110:random_seed=%d:size=%dx%d:rate=4:scroll=1,"+
			"format=gray[cells]", in.Seed, gridCols, gridRows)}
	g = append(g, in.glyphs("cells", "text", "4")...)
	return append(g, fmt.Sprintf("[text]lut=c0='28+val*190/255',"+
		"fps=%d,format=yuv420p[v]", in.FPS))
}

// code: dark glyphs on a light background; a gutter of line numbers,
// indented lines of uneven length, a line rewritten every half second.
func (in Input) code(out string) []string {
	g := []string{fmt.Sprintf(
		"cellauto=rule=110:random_seed=%d:size=%dx%d:rate=2:scroll=0,"+
			"format=gray,geq=lum='p(X,Y)*(between(X,1,4)+"+
			"gte(X,6+4*mod(Y*7,5))*lt(X,30+mod(Y*37,97)))'[%s_cells]",
		in.Seed, gridCols, gridRows, out)}
	g = append(g, in.glyphs(out+"_cells", out+"_text", "2")...)
	return append(g, fmt.Sprintf("[%s_text]lut=c0='236-val*196/255',"+
		"fps=%d,format=yuv420p[%s]", out, in.FPS, out))
}

// slides: a title, bullet lines and a figure on white, all changing
// every three seconds.
func (in Input) slides() []string {
	w, h := in.Width(), in.Height
	fw, fh := w*2/5/2*2, h*3/5/2*2
	g := []string{fmt.Sprintf(
		"cellauto=rule=110:random_seed=%d:size=%dx%d:rate=1/3:scroll=1,"+
			"format=gray,geq=lum='p(X,Y)*(between(Y,2,3)*between(X,8,70)+"+
			"between(Y,8,40)*gt(mod(Y,3),0)*gte(X,10+2*eq(mod(Y,3),2))*"+
			"lt(X,40+mod(Y*37,40)))'[slide_cells]",
		in.Seed, gridCols, gridRows)}
	g = append(g, in.glyphs("slide_cells", "slide_text", "1/3")...)
	return append(g,
		fmt.Sprintf("[slide_text]lut=c0='250-val*210/255',"+
			"format=yuv420p[slide_bg]"),
		fmt.Sprintf("mandelbrot=size=%dx%d:rate=1/3,format=yuv420p[fig]",
			fw, fh),
		fmt.Sprintf("[slide_bg][fig]overlay=x=%d:y=%d,fps=%d[v]",
			w*11/20, h/5, in.FPS))
}

// camera: a moving test pattern with temporal sensor noise, a fifth of
// the frame in each dimension, at the full frame rate.
func (in Input) camera(out string) []string {
	return []string{fmt.Sprintf(
		"testsrc2=size=%dx%d:rate=%d,"+
			"noise=alls=24:allf=t+u:all_seed=%d,format=yuv420p[%s]",
		in.Width()/5/2*2, in.Height/5/2*2, in.FPS, in.Seed+2, out)}
}

// speech: a voice-like tone (a wandering 140 Hz fundamental with two
// harmonics) shaped into syllables at about 4 Hz and phrases with pauses,
// over faint pink room noise.
func (in Input) speech() []string {
	f0 := "(140+25*sin(2*PI*0.7*t))"
	voice := fmt.Sprintf("0.3*(0.6*sin(2*PI*%[1]s*t)+0.3*sin(4*PI*%[1]s*t)"+
		"+0.1*sin(6*PI*%[1]s*t))*(0.5+0.5*sin(2*PI*4.1*t))"+
		"*gt(sin(2*PI*0.23*t)+0.4,0)", f0)
	return []string{
		fmt.Sprintf("aevalsrc=exprs='%s':s=48000[voice]", voice),
		fmt.Sprintf("anoisesrc=color=pink:amplitude=0.01:r=48000:seed=%d"+
			"[room]", in.Seed+3),
		"[voice][room]amix=inputs=2:normalize=0[a]",
	}
}
