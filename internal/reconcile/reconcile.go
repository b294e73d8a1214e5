// Package reconcile ranks the near misses between Block-1 completions that
// match nobody and registered professionals without a completion: the
// same person with a typo in the e-mail, two CPF digits swapped, the name
// written with or without accents. It only proposes: a candidate becomes a
// match only when a person confirms it (conditions.Link). Pure: no SQL,
// no HTTP.
package reconcile

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/textnorm"
)

// Completion is a Block-1 completion as the desk shows it.
type Completion struct {
	Course, PersonKey string // its key in the store (survives re-imports)
	Name, CPF, Email  string
	IBGE              string // the municipality the Moodle report gives, if any
	CompletedAt       time.Time
}

// Professional is an accepted professional of a current sheet.
type Professional struct {
	IBGE, Name, CPF, Email string
	CareLevel              conditions.CareLevel
}

// Candidate is a possible match with the evidence for it, in words.
type Candidate struct {
	Score    int
	Evidence []string
}

// Weights of each piece of evidence.
const (
	wMunicipality = 2
	wCPFNear      = 5
	wEmailSame    = 5
	wEmailNear    = 4
	wEmailLocal   = 3
	wNameSame     = 4
	wNameNear     = 3
	wNameEnds     = 2
	// MinScore: below it a pair is not proposed; the municipality alone
	// never reaches it.
	MinScore = 4
)

// Compare scores a completion against a professional.
func Compare(c Completion, p Professional) Candidate {
	var k Candidate
	add := func(w int, text string) { k.Score += w; k.Evidence = append(k.Evidence, text) }
	if c.IBGE != "" && c.IBGE == p.IBGE {
		add(wMunicipality, "mesmo município no Moodle")
	}
	if what, ok := cpfNear(c.CPF, p.CPF); ok {
		add(wCPFNear, what)
	}
	ce, pe := strings.ToLower(c.Email), strings.ToLower(p.Email)
	switch d := editDistance(ce, pe, 2); {
	case ce == "" || pe == "":
	case d == 0:
		add(wEmailSame, "mesmo e-mail")
	case d <= 2:
		add(wEmailNear, fmt.Sprintf("e-mail difere em %d caractere(s)%s", d, domainNote(ce, pe)))
	case localPart(ce) == localPart(pe):
		add(wEmailLocal, "mesmo usuário de e-mail em outro domínio"+domainNote(ce, pe))
	}
	cn, pn := nameKey(c.Name), nameKey(p.Name)
	switch {
	case cn == "" || pn == "":
	case cn == pn:
		add(wNameSame, "mesmo nome (sem acentos e maiúsculas)")
	case similarity(cn, pn) >= 0.85:
		add(wNameNear, "nome parecido")
	case ends(cn) == ends(pn):
		add(wNameEnds, "mesmo primeiro e último nome")
	}
	return k
}

// domainNote names the two domains when the difference is there
// ("gmail.con × gmail.com"): no personal data, and it is what a person
// checks first.
func domainNote(a, b string) string {
	da, db := domain(a), domain(b)
	if da == db || da == "" || db == "" {
		return ""
	}
	return " (" + da + " × " + db + ")"
}

func localPart(e string) string {
	if i := strings.LastIndexByte(e, '@'); i > 0 {
		return e[:i]
	}
	return e
}

func domain(e string) string {
	if i := strings.LastIndexByte(e, '@'); i >= 0 {
		return e[i+1:]
	}
	return ""
}

// cpfNear: two valid CPFs that differ by one adjacent transposition or by
// one digit.
func cpfNear(a, b string) (string, bool) {
	if len(a) != 11 || len(b) != 11 || a == b {
		return "", false
	}
	var diff []int
	for i := 0; i < 11; i++ {
		if a[i] != b[i] {
			diff = append(diff, i)
		}
	}
	switch {
	case len(diff) == 1:
		return "CPF difere em um dígito", true
	case len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]:
		return "CPF com dois dígitos vizinhos trocados", true
	}
	return "", false
}

// nameKey folds accents and case and keeps the words.
func nameKey(s string) string { return strings.Join(strings.Fields(textnorm.Fold(s)), " ") }

// ends is the first and last word.
func ends(key string) string {
	w := strings.Fields(key)
	if len(w) == 0 {
		return ""
	}
	return w[0] + " " + w[len(w)-1]
}

// similarity is 1 − edit distance ÷ the longer length.
func similarity(a, b string) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 1
	}
	limit := n / 5
	d := editDistance(a, b, limit)
	if d > limit {
		return 0
	}
	return 1 - float64(d)/float64(n)
}

// editDistance is the Levenshtein distance of a and b (bytes), or
// limit+1 as soon as it must exceed limit.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Index finds the professionals worth comparing with a completion without
// comparing every pair: by CPF neighbour, e-mail user, name ends and
// municipality.
type Index struct {
	pros  []Professional
	by    map[string][]int32
	byMun map[string][]int32
}

// NewIndex indexes professionals.
func NewIndex(pros []Professional) *Index {
	x := &Index{pros: pros, by: map[string][]int32{}, byMun: map[string][]int32{}}
	for i, p := range pros {
		for _, k := range keys(p.CPF, p.Email, p.Name) {
			x.by[k] = append(x.by[k], int32(i))
		}
		x.byMun[p.IBGE] = append(x.byMun[p.IBGE], int32(i))
	}
	return x
}

// keys are the lookup keys of a person: the CPF with each digit blanked
// (one digit off or, with the next, two swapped, share one of them), the
// e-mail's user and the name's ends.
func keys(cpf, email, name string) []string {
	var out []string
	if len(cpf) == 11 {
		for i := 0; i < 11; i++ {
			out = append(out, "c"+cpf[:i]+"_"+cpf[i+1:])
			if i < 10 {
				out = append(out, "s"+cpf[:i]+"__"+cpf[i+2:])
			}
		}
	}
	if l := localPart(strings.ToLower(email)); l != "" {
		out = append(out, "e"+l)
	}
	if e := ends(nameKey(name)); e != "" {
		out = append(out, "n"+e)
	}
	return out
}

// Ranked is a professional proposed for a completion, or the reverse.
type Ranked[T any] struct {
	Item T
	Candidate
}

// maxCandidates bounds each list (a person reads them).
const maxCandidates = 5

// ForCompletion ranks the professionals that may be the completion's
// person (best first; MinScore at least).
func (x *Index) ForCompletion(c Completion, keep func(Professional) bool) []Ranked[Professional] {
	seen := map[int32]bool{}
	var out []Ranked[Professional]
	try := func(i int32) {
		if seen[i] {
			return
		}
		seen[i] = true
		p := x.pros[i]
		if keep != nil && !keep(p) {
			return
		}
		if k := Compare(c, p); k.Score >= MinScore {
			out = append(out, Ranked[Professional]{p, k})
		}
	}
	for _, k := range keys(c.CPF, c.Email, c.Name) {
		for _, i := range x.by[k] {
			try(i)
		}
	}
	if c.IBGE != "" {
		for _, i := range x.byMun[c.IBGE] {
			try(i)
		}
	}
	return top(out)
}

func top[T any](list []Ranked[T]) []Ranked[T] {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Score > list[j].Score })
	if len(list) > maxCandidates {
		list = list[:maxCandidates]
	}
	return list
}

// CompletionIndex finds completions worth comparing with a professional.
type CompletionIndex struct {
	list  []Completion
	by    map[string][]int32
	byMun map[string][]int32
}

// NewCompletionIndex indexes completions.
func NewCompletionIndex(list []Completion) *CompletionIndex {
	x := &CompletionIndex{list: list, by: map[string][]int32{}, byMun: map[string][]int32{}}
	for i, c := range list {
		for _, k := range keys(c.CPF, c.Email, c.Name) {
			x.by[k] = append(x.by[k], int32(i))
		}
		if c.IBGE != "" {
			x.byMun[c.IBGE] = append(x.byMun[c.IBGE], int32(i))
		}
	}
	return x
}

// ForProfessional ranks the completions that may be the professional's.
func (x *CompletionIndex) ForProfessional(p Professional) []Ranked[Completion] {
	seen := map[int32]bool{}
	var out []Ranked[Completion]
	try := func(i int32) {
		if seen[i] {
			return
		}
		seen[i] = true
		if k := Compare(x.list[i], p); k.Score >= MinScore {
			out = append(out, Ranked[Completion]{x.list[i], k})
		}
	}
	for _, k := range keys(p.CPF, p.Email, p.Name) {
		for _, i := range x.by[k] {
			try(i)
		}
	}
	for _, i := range x.byMun[p.IBGE] {
		try(i)
	}
	return top(out)
}
