// Package resilience holds the fault tests of the whole program (no code
// of its own): readers during a large import, a kill -9 in the middle of
// one, and a backup taken while the server runs. They start the real
// binary or the real server; see docs/confiabilidade.md.
package resilience
