package table

import "github.com/ses-mg/telemonitor/internal/textnorm"

// MatchReference is Match as it was written before the compiled specs and
// the cache of folded cells: every cell folded, every field compared with
// every column. Match must agree with it (header_match_test.go).
var MatchReference = func(s Spec, cells []string) (Header, bool) {
	h := Header{Index: map[string]int{}, Names: cells}
	keys := make([][]string, len(cells))
	for col, cell := range cells {
		keys[col] = headerKeys(cell)
	}
	names := make([][]string, len(s.Fields))
	for i, f := range s.Fields {
		for _, n := range f.Names {
			names[i] = append(names[i], textnorm.Fold(n))
		}
	}
	used := make([]bool, len(cells))
	for pass := 0; pass < 2; pass++ {
		for i, f := range s.Fields {
			if h.Has(f.Key) || (pass == 0) == f.Contains {
				continue
			}
			for col := range cells {
				if !used[col] && f.matches(keys[col], names[i]) {
					h.Index[f.Key], used[col] = col, true
					break
				}
			}
		}
	}
	return h, s.complete(h)
}
