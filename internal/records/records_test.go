package records

import "testing"

func TestRank(t *testing.T) {
	for i, k := range Kinds {
		if k.Rank() != i {
			t.Errorf("%s: rank %d, want %d", k, k.Rank(), i)
		}
	}
	if r := Teleconsultas.Rank(); r != len(Kinds) {
		t.Errorf("teleconsultas: rank %d, want after every kind that feeds the conditions (%d)", r, len(Kinds))
	}
}
