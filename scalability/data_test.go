package scalability

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmbeddedDataParses(t *testing.T) {
	a := DefaultAssumptions()
	for _, n := range a.Names() {
		f, _ := a.Get(n)
		if f.Source == "" || f.Read.IsZero() {
			t.Errorf("assumption %s has no source or read date", n)
		}
	}
	cards := DefaultCards()
	// FACTS.md: A100, H100 and H200 have no NVENC; L4 2/4, L40S 3/3.
	for _, tt := range []struct {
		card         string
		nvenc, nvdec int
	}{{"A100", 0, 5}, {"H100", 0, 7}, {"H200", 0, 7}, {"L4", 2, 4}, {"l40s", 3, 3},
		{"T4", 1, 2}, {"A10G", 1, 2}} {
		c, ok := cards.Get(tt.card)
		require.True(t, ok, "card %s missing", tt.card)
		if c.NVENC != tt.nvenc || c.NVDEC != tt.nvdec {
			t.Errorf("card %s = %d NVENC, %d NVDEC; want %d, %d", tt.card, c.NVENC, c.NVDEC,
				tt.nvenc, tt.nvdec)
		}
		require.Equal(t, tt.nvenc > 0, c.CanEncode("h264"), "card %s CanEncode(h264)", tt.card)
	}
}

func TestDataErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) error
		yaml  string
		want  []string
	}{
		{
			name:  "assumption without source or date",
			parse: func(b []byte) error { _, err := parseFigures("a.yaml", b); return err },
			yaml:  "figures:\n  - name: x\n    value: 1\n    unit: s\n",
			want: []string{"a.yaml:2: figures[0].source: missing",
				"a.yaml:2: figures[0].read: missing"},
		},
		{
			name:  "negative value and bad date",
			parse: func(b []byte) error { _, err := parseFigures("a.yaml", b); return err },
			yaml: "figures:\n  - {name: x, unit: s, source: s, read: 2026-01-01, value: 1}\n" +
				"  - name: y\n    value: -3\n    unit: s\n    source: s\n    read: soon\n",
			want: []string{"a.yaml:4: figures[1].value: must be at least 0, got -3",
				"a.yaml:7: figures[1].read: must be a date"},
		},
		{
			name:  "unknown key",
			parse: func(b []byte) error { _, err := parseFigures("a.yaml", b); return err },
			yaml:  "figures:\n  - {name: x, value: 1, unit: s, source: s, read: 2026-01-01, vale: 2}\n",
			want:  []string{"a.yaml:2: figures[0].vale: unknown field"},
		},
		{
			name:  "incomplete assumption set",
			parse: func(b []byte) error { _, err := ParseAssumptions("a.yaml", b); return err },
			yaml:  "figures:\n  - {name: x, value: 1, unit: s, source: s, read: 2026-01-01}\n",
			want:  []string{"a.yaml: missing figures", "nvenc/P3-fps"},
		},
		{
			name:  "card with negative engines",
			parse: func(b []byte) error { _, err := ParseCards("c.yaml", b); return err },
			yaml: "cards:\n  - card: X\n    nvenc: -1\n    nvdec: 1\n" +
				"    source: s\n    read: 2026-01-01\n",
			want: []string{"c.yaml:3: cards[0].nvenc: must be at least 0, got -1"},
		},
		{
			name:  "card host without source",
			parse: func(b []byte) error { _, err := ParseCards("c.yaml", b); return err },
			yaml: "cards:\n  - card: X\n    nvenc: 0\n    nvdec: 1\n    source: s\n" +
				"    read: 2026-01-01\n    host: {instance: i, gpus: 1, vcpus: 4, read: 2026-01-01}\n",
			want: []string{"c.yaml:7: cards[0].host.source: missing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.yaml))
			require.Error(t, err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadOverlays(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, AssumptionsFile), []byte(
		"figures:\n  - {name: nvenc/P3-fps, value: 500, unit: frames/s, "+
			"source: my bench, read: 2026-11-30}\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, CardsFile), []byte(
		"cards:\n  - {card: A100, nvenc: 0, nvdec: 5, source: mine, read: 2026-11-30}\n"+
			"  - {card: NEW1, nvenc: 2, nvdec: 2, encode_codecs: [h264], "+
			"source: mine, read: 2026-11-30}\n"), 0o644))
	a, err := LoadAssumptions(dir)
	require.NoError(t, err)
	f, _ := a.Get("nvenc/P3-fps")
	require.Equal(t, 500.0, f.Value)
	require.Equal(t, "my bench", f.Source)
	require.Equal(t, 47.0, a.value("x264/veryfast/easy-fps"), "other figures kept")

	c, err := LoadCards(dir)
	require.NoError(t, err)
	a100, _ := c.Get("A100")
	require.Equal(t, "mine", a100.Source)
	_, ok := c.Get("new1")
	require.True(t, ok)
	_, ok = c.Get("L4")
	require.True(t, ok, "embedded cards kept")

	empty, err := LoadAssumptions(t.TempDir())
	require.NoError(t, err)
	require.Equal(t, DefaultAssumptions().Names(), empty.Names())
}
