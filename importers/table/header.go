package table

import (
	"hash/maphash"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// HeaderSearchRows is how far down the header row may be.
const HeaderSearchRows = 20

// Field is one logical column and the headers that name it.
type Field struct {
	Key   string
	Names []string
	// Contains matches a header that contains one of the names as whole
	// words (for question texts in forms); otherwise the whole header must
	// equal a name.
	Contains bool
}

// Spec describes the columns a kind of file has.
type Spec struct {
	Fields []Field
	// Required lists groups of keys: each group needs at least one present.
	Required [][]string
}

// Header is a matched header row.
type Header struct {
	Row   int
	Index map[string]int // field key -> column
	Names []string       // the header texts as written
}

// Has reports whether the field was found.
func (h Header) Has(key string) bool { _, ok := h.Index[key]; return ok }

// Col returns the column of a field, or -1.
func (h Header) Col(key string) int {
	if c, ok := h.Index[key]; ok {
		return c
	}
	return -1
}

// Name is the header text of a field's column, for reports.
func (h Header) Name(key string) string {
	if c, ok := h.Index[key]; ok && c < len(h.Names) {
		return strings.TrimSpace(h.Names[c])
	}
	return key
}

// Get returns the trimmed cell of a field in row r.
func (h Header) Get(r Row, key string) string { return r.Cell(h.Col(key)) }

// headerKeys are the folded forms a header is compared in: whole, and
// without a Moodle Report builder "Entity: " prefix. Empty forms are left
// out.
func headerKeys(raw string) []string {
	var keys []string
	if k := textnorm.Fold(raw); k != "" {
		keys = append(keys, k)
	}
	if i := strings.LastIndex(strings.TrimRight(strings.TrimSpace(raw), ":"), ": "); i > 0 {
		if k := textnorm.Fold(raw[i+2:]); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// cellKeys returns headerKeys(cell), from a small cache of the cells seen
// last: a sheet's first rows are compared with the spec of every kind
// (importers.pick) and then with the chosen one (FindHeader), and the same
// header texts come in every file of a set. The cache has a fixed number
// of slots, each holding the last short cell that hashed to it, so its
// memory is bounded whatever the files hold. The keys returned are shared:
// callers must not change them.
func cellKeys(cell string) []string {
	if cell == "" {
		return nil
	}
	if len(cell) > maxCachedCell {
		return headerKeys(cell)
	}
	slot := &keyCache[maphash.String(keySeed, cell)%uint64(len(keyCache))]
	if e := slot.Load(); e != nil && e.cell == cell {
		return e.keys
	}
	keys := headerKeys(cell)
	slot.Store(&cachedKeys{cell: cell, keys: keys})
	return keys
}

// rowKeys returns the cellKeys of each cell. The row last asked about is
// kept: importers.pick asks about each of a sheet's first rows for every
// kind in turn.
func rowKeys(cells []string) [][]string {
	if last := lastRow.Load(); last != nil && slices.Equal(last.cells, cells) {
		return last.keys
	}
	keys := make([][]string, len(cells))
	for col, cell := range cells {
		keys[col] = cellKeys(cell)
	}
	lastRow.Store(&rowKeysOf{cells: slices.Clone(cells), keys: keys})
	return keys
}

type rowKeysOf struct {
	cells []string
	keys  [][]string
}

var lastRow atomic.Pointer[rowKeysOf]

type cachedKeys struct {
	cell string
	keys []string
}

const maxCachedCell = 200

var (
	keySeed  = maphash.MakeSeed()
	keyCache [1024]atomic.Pointer[cachedKeys]
)

// Match maps a row of header cells to the spec's fields; ok is false when
// a required group is missing (the Header is then incomplete). Exact names
// win over contained ones, and each column serves one field. Each cell is
// folded once (cellKeys) and looked up among the spec's folded names
// (compiled once per spec).
func (s Spec) Match(cells []string) (Header, bool) {
	c := s.compiled()
	h := Header{Index: map[string]int{}, Names: cells}
	// Exact names first: the columns each exact field's names name, in
	// column order; a field takes the first column no field before it took.
	type candidate struct{ field, col int }
	var cands []candidate
	keys := rowKeys(cells)
	for col := range cells {
		for _, k := range keys[col] {
			for _, i := range c.exact[k] {
				cands = append(cands, candidate{i, col})
			}
		}
	}
	// Most rows tried are not the header: a required group whose fields
	// all go by exact names, none of which the row has, settles it.
	if len(c.exactGroups) > 0 {
		var found uint64
		for _, cd := range cands {
			found |= 1 << cd.field
		}
		for _, g := range c.exactGroups {
			if found&g == 0 {
				return h, false
			}
		}
	}
	used := make([]bool, len(cells))
	if len(cands) > 0 {
		slices.SortStableFunc(cands, func(a, b candidate) int { return a.field - b.field })
		for _, cd := range cands {
			f := s.Fields[cd.field]
			if !h.Has(f.Key) && !used[cd.col] {
				h.Index[f.Key], used[cd.col] = cd.col, true
			}
		}
	}
	for i, f := range s.Fields {
		if !f.Contains || h.Has(f.Key) {
			continue
		}
		for col := range cells {
			if !used[col] && f.matches(keys[col], c.names[i]) {
				h.Index[f.Key], used[col] = col, true
				break
			}
		}
	}
	return h, s.complete(h)
}

// complete reports whether h has a field of each required group.
func (s Spec) complete(h Header) bool {
	for _, group := range s.Required {
		found := false
		for _, k := range group {
			found = found || h.Has(k)
		}
		if !found {
			return false
		}
	}
	return true
}

// compiledSpec is a spec's fields with their names folded, and the exact
// (not Contains) fields indexed by folded name.
type compiledSpec struct {
	fields   []Field
	required [][]string
	names    [][]string       // folded names of each field
	exact    map[string][]int // folded name -> exact fields with that name, in order
	// exactGroups has, for each required group whose fields are all exact,
	// the set of those fields (bit i: field i); none when there are more
	// than 64 fields.
	exactGroups []uint64
}

// compiledSpecs holds the specs compiled so far: the importers build their
// spec on every call, from the same literals, and Match runs for every
// kind on every one of the first rows of every sheet. At most
// maxCompiledSpecs are kept (the kinds are a handful).
var compiledSpecs struct {
	sync.Mutex
	list atomic.Pointer[[]*compiledSpec]
}

const maxCompiledSpecs = 32

func (s Spec) compiled() *compiledSpec {
	if l := compiledSpecs.list.Load(); l != nil {
		for _, c := range *l {
			if c.same(s) {
				return c
			}
		}
	}
	c := &compiledSpec{fields: make([]Field, len(s.Fields)), names: make([][]string, len(s.Fields)), exact: map[string][]int{}}
	for _, g := range s.Required {
		c.required = append(c.required, slices.Clone(g))
	}
	for i, f := range s.Fields {
		f.Names = slices.Clone(f.Names)
		c.fields[i] = f
		c.names[i] = make([]string, len(f.Names))
		for j, n := range f.Names {
			c.names[i][j] = textnorm.Fold(n)
			if !f.Contains && !slices.Contains(c.exact[c.names[i][j]], i) {
				c.exact[c.names[i][j]] = append(c.exact[c.names[i][j]], i)
			}
		}
	}
	for _, g := range s.Required {
		var set uint64
		exact := len(s.Fields) <= 64
		for i, f := range s.Fields {
			if slices.Contains(g, f.Key) {
				exact = exact && !f.Contains
				set |= 1 << i
			}
		}
		if exact {
			c.exactGroups = append(c.exactGroups, set)
		}
	}
	compiledSpecs.Lock()
	defer compiledSpecs.Unlock()
	var list []*compiledSpec
	if l := compiledSpecs.list.Load(); l != nil {
		list = *l
	}
	if len(list) < maxCompiledSpecs {
		list = append(slices.Clip(list), c)
		compiledSpecs.list.Store(&list)
	}
	return c
}

// same reports whether s is the spec c was compiled from (the same
// literals compare in no time: their strings share memory).
func (c *compiledSpec) same(s Spec) bool {
	fields := s.Fields
	if len(fields) != len(c.fields) || !slices.EqualFunc(s.Required, c.required, slices.Equal) {
		return false
	}
	for i := len(fields) - 1; i >= 0; i-- { // from the end: specs share their first fields
		f, g := fields[i], c.fields[i]
		if f.Key != g.Key || f.Contains != g.Contains || !slices.Equal(f.Names, g.Names) {
			return false
		}
	}
	return true
}

// matches reports whether a header, given as its folded keys, names f,
// whose folded names are given.
func (f Field) matches(keys, names []string) bool {
	for _, k := range keys {
		for _, fn := range names {
			if k == fn || (f.Contains && containsWords(k, fn)) {
				return true
			}
		}
	}
	return false
}

// containsWords reports whether the folded text k contains the folded
// words w as whole words (both are single-spaced and trimmed).
func containsWords(k, w string) bool {
	if w == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(k[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || k[j-1] == ' ') && (end == len(k) || k[end] == ' ') {
			return true
		}
		i = j + 1
	}
}

// Scanner walks a sheet: it finds the header within the first rows, keeps
// the rows above it (titles) and then yields data rows, skipping blank rows
// and a totals row.
type Scanner struct {
	sheet Sheet
	spec  Spec
	Above []Row // rows above the header
	Head  Header
	ahead []Row
	// Progress, when set, is told every ProgressEvery data rows how many
	// rows Each has read so far.
	Progress func(rows int)
	// After, when set, runs after every data row Each hands on; its error
	// stops Each (the importers flush their records there).
	After func() error
}

// ProgressEvery is how often Each reports progress, in rows.
const ProgressEvery = 1000

// FindHeader reads up to HeaderSearchRows rows looking for the spec's
// header. ok is false when the sheet has none.
func FindHeader(sh Sheet, spec Spec) (*Scanner, bool, error) {
	sc := &Scanner{sheet: sh, spec: spec}
	for i := 0; i < HeaderSearchRows; i++ {
		r, err := sh.Next()
		if err == io.EOF {
			return sc, false, nil
		}
		if err != nil {
			return sc, false, err
		}
		if h, ok := spec.Match(r.Cells); ok {
			h.Row = r.Num
			sc.Head = h
			return sc, true, nil
		}
		sc.Above = append(sc.Above, r)
	}
	return sc, false, nil
}

// Next returns the next data row, or io.EOF.
func (sc *Scanner) Next() (Row, error) {
	for {
		r, err := sc.sheet.Next()
		if err != nil {
			return r, err
		}
		if r.Blank() {
			continue
		}
		if isTotals(r) {
			continue
		}
		return r, nil
	}
}

func isTotals(r Row) bool {
	for _, c := range r.Cells {
		if f := textnorm.Fold(c); f != "" {
			return strings.HasPrefix(f, "total")
		}
	}
	return false
}

var titleMunicipality = regexp.MustCompile(`(?i)^munic[ií]pio\s*(:|-|–)\s*(.+)$`)

// TitleMunicipality finds a "Município: X" (or "Municipio - X") cell in the
// rows above the header and returns X.
func (sc *Scanner) TitleMunicipality() string {
	for _, r := range sc.Above {
		for _, c := range r.Cells {
			if m := titleMunicipality.FindStringSubmatch(textnorm.Clean(c)); m != nil {
				return strings.TrimSpace(m[2])
			}
		}
	}
	return ""
}

// Each calls fn for every data row until the sheet ends.
func (sc *Scanner) Each(fn func(Row) error) error {
	for n := 1; ; n++ {
		if sc.Progress != nil && n%ProgressEvery == 0 {
			sc.Progress(n)
		}
		r, err := sc.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
		if sc.After != nil {
			if err := sc.After(); err != nil {
				return err
			}
		}
	}
}
