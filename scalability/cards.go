package scalability

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// CardsFile is the name of the card capabilities data file.
const CardsFile = "cards.yaml"

//go:embed data/cards.yaml
var defaultCards []byte

// Card is what one GPU card can do with video, and the host it usually
// comes in.
type Card struct {
	Name string
	// NVENC and NVDEC count the hardware encoder and decoder engines.
	NVENC int
	NVDEC int
	// EncodeCodecs and DecodeCodecs list what the engines handle
	// ("h264", "hevc", "av1", "vp9").
	EncodeCodecs []string
	DecodeCodecs []string
	Provenance
	// Host is the usual cloud instance of the card; zero when unknown.
	Host Host
}

// Host is a cloud instance shape that carries GPU cards.
type Host struct {
	Instance string
	GPUs     int
	VCPUs    int
	Provenance
}

// CanEncode reports whether the card has an encoder for codec.
func (c Card) CanEncode(codec string) bool {
	return c.NVENC > 0 && slices.Contains(c.EncodeCodecs, codec)
}

// Cards is the card table by name (case-insensitive).
type Cards struct {
	byName map[string]Card
	order  []string
}

var parsedCards = sync.OnceValues(func() (*Cards, error) {
	return ParseCards("data/"+CardsFile, defaultCards)
})

// DefaultCards returns a copy of the embedded card table. It panics if
// the embedded file is broken, which a test rules out.
func DefaultCards() *Cards {
	c, err := parsedCards()
	if err != nil {
		panic(fmt.Sprintf("scalability: embedded cards: %v", err))
	}
	return c.clone()
}

func (c *Cards) clone() *Cards {
	d := &Cards{byName: make(map[string]Card, len(c.byName)),
		order: append([]string(nil), c.order...)}
	for k, v := range c.byName {
		d.byName[k] = v
	}
	return d
}

// LoadCards returns the embedded table overlaid with dir/cards.yaml,
// when it exists; a card there replaces the embedded one of that name.
func LoadCards(dir string) (*Cards, error) {
	c := DefaultCards()
	path := filepath.Join(dir, CardsFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load cards: %w", err)
	}
	over, err := ParseCards(path, data)
	if err != nil {
		return nil, fmt.Errorf("load cards: %w", err)
	}
	for _, n := range over.order {
		c.add(over.byName[strings.ToUpper(n)])
	}
	return c, nil
}

// ParseCards reads a card table; name labels errors, each a *DataError
// with its line.
func ParseCards(name string, data []byte) (*Cards, error) {
	r := &nodeReader{file: name}
	top := r.root(data, "cards")
	c := &Cards{byName: map[string]Card{}}
	for i, n := range r.sequence(top["cards"], "cards") {
		path := fmt.Sprintf("cards[%d]", i)
		m := r.mapping(n, path, "card", "nvenc", "nvdec", "encode_codecs",
			"decode_codecs", "source", "read", "uncertain", "host")
		if m == nil {
			continue
		}
		card := Card{
			Name:         r.str(m, n, path, "card", true),
			NVENC:        int(r.num(m, n, path, "nvenc", true, 0)),
			NVDEC:        int(r.num(m, n, path, "nvdec", true, 0)),
			EncodeCodecs: r.strs(m, path, "encode_codecs"),
			DecodeCodecs: r.strs(m, path, "decode_codecs"),
			Provenance:   r.provenance(m, n, path),
		}
		if card.NVENC > 0 && len(card.EncodeCodecs) == 0 {
			r.errf(n, path+".encode_codecs", "must list codecs for %d NVENC", card.NVENC)
		}
		if h, ok := m["host"]; ok {
			hp := path + ".host"
			hm := r.mapping(h, hp, "instance", "gpus", "vcpus", "source", "read", "uncertain")
			if hm != nil {
				card.Host = Host{
					Instance:   r.str(hm, h, hp, "instance", true),
					GPUs:       int(r.num(hm, h, hp, "gpus", true, 1)),
					VCPUs:      int(r.num(hm, h, hp, "vcpus", true, 1)),
					Provenance: r.provenance(hm, h, hp),
				}
			}
		}
		if _, dup := c.byName[strings.ToUpper(card.Name)]; dup {
			r.errf(n, path+".card", "duplicate card %q", card.Name)
		}
		c.add(card)
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cards) add(card Card) {
	key := strings.ToUpper(card.Name)
	if _, ok := c.byName[key]; !ok {
		c.order = append(c.order, card.Name)
	}
	c.byName[key] = card
}

// Get returns the card called name, ignoring case.
func (c *Cards) Get(name string) (Card, bool) {
	card, ok := c.byName[strings.ToUpper(name)]
	return card, ok
}

// All returns every card in file order.
func (c *Cards) All() []Card {
	out := make([]Card, 0, len(c.order))
	for _, n := range c.order {
		out = append(out, c.byName[strings.ToUpper(n)])
	}
	return out
}

// WithHost returns a copy of c in which card comes in host h: a
// catalog's instance shape may differ from the usual one.
func (c *Cards) WithHost(card string, h Host) *Cards {
	d := c.clone()
	if v, ok := d.byName[upper(card)]; ok {
		v.Host = h
		d.byName[upper(card)] = v
	}
	return d
}

func upper(s string) string { return strings.ToUpper(s) }
