package export

import "strconv"

// missingWord describes the "faltam" filter ("" when not set).
func missingWord(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 condição"
	}
	return strconv.Itoa(n) + " condições"
}
