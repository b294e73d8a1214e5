package server

import "strconv"

// missingParam reads the "faltam" filter (how many conditions are still
// pendente): "" is no filter; anything but a number is -1, which
// monitor.Filter.Validate refuses (400).
func missingParam(v string) int {
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return -1
	}
	return n
}

// missingOptions are the choices of the "Faltam" filter (a new slice each
// time: the form marks the selected one).
func missingOptions() []option { return []option{{Value: "1", Label: "Falta 1 condição"}} }
