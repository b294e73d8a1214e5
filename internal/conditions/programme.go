package conditions

// Programme is everything the engine evaluates at one data version: one
// input per municipality that has any record, and the records shared by
// all (Block-1 completions, courses started, confirmed links). The store
// reads it; the engine and the monitor only look at it.
type Programme struct {
	Inputs      map[string]*Input
	Completions []Completion
	// Starts: Block-1 courses started and not finished.
	Starts []Completion
	// Links: matches confirmed in reconciliation (not undone).
	Links []Link
	// NucleoConflicts lists, for municipalities the current coverage list
	// gives two or more núcleos, every núcleo given (a data problem).
	NucleoConflicts map[string][]string
	// Version is the data version these records are.
	Version string
}

// Input returns the engine input of a municipality (empty when nothing is
// known about it).
func (p *Programme) Input(ibge string) Input {
	if in, ok := p.Inputs[ibge]; ok {
		return *in
	}
	return Input{IBGE: ibge}
}

// Index builds the completions index of the programme (with its links and
// starts) under cfg.
func (p *Programme) Index(cfg Config) *Completions {
	return NewCompletions(p.Completions, cfg, p.Links...).WithStarts(p.Starts, cfg)
}
