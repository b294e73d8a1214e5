package teleconsultas

import (
	"strings"

	"github.com/ses-mg/telemonitor/internal/territory"
)

// requestRows remembers the row that last had each request (núcleo and id)
// of a file, for the solicitacao_duplicada warning, in little memory: the
// ids of a file's usual form — digits after a fixed prefix ("4512",
// "FM-00042") — are kept in a slice indexed by their number, four bytes a
// request and nothing for the collector to scan, so that a million-row
// export stays within the import's memory limit; any other id goes to a
// map by its text. A request is found in one place only: the slice when
// its slot holds its núcleo, else the map.
type requestRows struct {
	form struct {
		prefix string
		width  int // the digits' count when they have leading zeros, else 0
		set    bool
	}
	// dense[n] is row<<2 | núcleo for the id of the form with number n
	// (0: none).
	dense  []uint32
	others map[string]int // núcleo + "\x00" + id → row
}

// denseMax bounds the numbers the slice covers (256 MiB at worst would be
// 1<<26 slots; this keeps it at 64 MiB) and maxRow the rows it encodes.
const (
	denseMax = 1 << 24
	maxRow   = 1 << 29
)

// see notes that row has the request nucleo+id and returns the row that
// had it last, if any.
func (s *requestRows) see(nucleo, id string, row int) (prev int, dup bool) {
	if n, ok := s.slot(nucleo, id, row); ok {
		if e := s.dense[n]; e != 0 && int(e&3) == nucleoIndex(nucleo) {
			s.dense[n] = uint32(row)<<2 | e&3
			return int(e >> 2), true
		}
		if len(s.others) == 0 || !s.inOthers(nucleo, id) {
			if s.dense[n] == 0 {
				s.dense[n] = uint32(row)<<2 | uint32(nucleoIndex(nucleo))
				return 0, false
			}
		}
	}
	if s.others == nil {
		s.others = map[string]int{}
	}
	k := nucleo + "\x00" + id
	prev, dup = s.others[k]
	s.others[k] = row
	return prev, dup
}

func (s *requestRows) inOthers(nucleo, id string) bool {
	_, ok := s.others[nucleo+"\x00"+id]
	return ok
}

// slot is the index in dense of the request, growing the slice when the
// number is near what it covers; ok is false for a request kept in the map.
func (s *requestRows) slot(nucleo, id string, row int) (int, bool) {
	if i := nucleoIndex(nucleo); i < 0 || i > 3 || row <= 0 || row >= maxRow {
		return 0, false
	}
	prefix, n, width, ok := splitID(id)
	if !ok {
		return 0, false
	}
	if !s.form.set {
		s.form.prefix, s.form.width, s.form.set = strings.Clone(prefix), width, true
	}
	if prefix != s.form.prefix || width != s.form.width || n >= denseMax {
		return 0, false
	}
	if n >= len(s.dense) {
		if n >= max(2*len(s.dense), 1<<16) {
			return 0, false // far beyond the others: a sparse id
		}
		grown := make([]uint32, max(2*len(s.dense), 1<<16, n+1))
		copy(grown, s.dense)
		s.dense = grown
	}
	return n, true
}

// splitID splits an id into the text before its final digits, the number
// they write and, when they have leading zeros, their count (so that
// "007" and "7" stay apart); ok is false without final digits or with
// more than 18.
func splitID(id string) (prefix string, n, width int, ok bool) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	digits := id[i:]
	if len(digits) == 0 || len(digits) > 18 {
		return "", 0, 0, false
	}
	for j := 0; j < len(digits); j++ {
		n = n*10 + int(digits[j]-'0')
	}
	if digits[0] == '0' && len(digits) > 1 {
		width = len(digits)
	}
	return id[:i], n, width, true
}

// nucleoIndex is the núcleo's place in territory.Nucleos, or -1.
func nucleoIndex(code string) int {
	for i, n := range territory.Nucleos {
		if n.Code == code {
			return i
		}
	}
	return -1
}
