package app

import (
	"cmp"
	"context"
	"path"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ses-mg/telemonitor/internal/ingest"
	"github.com/ses-mg/telemonitor/internal/records"
)

// ImportDemo imports the embedded demo files as a coordinator would have
// received them, not all today. The demo's teleconsultation requests run
// from January to June 2025; imported today, every registration sheet
// would date each municipality's apto from today, after the requests it
// made, and no municipality would have been apto long enough to show up
// among the "aptos sem uso". So the files that feed the conditions are
// stamped with the latest date their names give (the Moodle export of
// 14/10/2024 16:20: every date inside them is earlier), and each
// teleconsultation export with its own (receivedAt), in that order.
func (a *App) ImportDemo(ctx context.Context, by string) ([]ingest.Report, error) {
	files, err := SampleFiles()
	if err != nil {
		return nil, err
	}
	given := make(map[string]time.Time, len(files))
	var conditionsAt time.Time
	for _, f := range files {
		at := receivedAt(path.Base(f))
		given[f] = at
		if sampleRank(f) < records.Teleconsultas.Rank() && at.After(conditionsAt) {
			conditionsAt = at
		}
	}
	slices.SortStableFunc(files, func(x, y string) int {
		if rx, ry := sampleRank(x), sampleRank(y); rx != ry || rx < records.Teleconsultas.Rank() {
			return cmp.Compare(rx, ry)
		}
		return given[x].Compare(given[y]) // a núcleo's monthly exports, oldest first
	})
	clock := a.Ingest.Now
	defer func() { a.Ingest.Now = clock }()
	at := conditionsAt
	return a.importSamples(ctx, files, by, func(f string) {
		if t := given[f]; sampleRank(f) >= records.Teleconsultas.Rank() && t.After(at) {
			at = t
		}
		stamp := at
		a.Ingest.Now = func() time.Time { return stamp }
	})
}

// datedName finds the date a file name carries: a day (2024-09-02 or
// 20241014, with _1620 for the time) or a month (2025-01, a monthly
// export).
var datedName = regexp.MustCompile(`(20\d\d)-?(0[1-9]|1[0-2])(?:-?(0[1-9]|[12]\d|3[01])(?:_([01]\d|2[0-3])([0-5]\d))?)?(?:[^0-9]|$)`)

// receivedAt is when a demo file was received, from its name: on its day
// (at 08:00 unless the name gives the time), or, for a month's export, on
// the 1st of the next month at 08:00; zero when the name has no date.
func receivedAt(name string) time.Time {
	m := datedName.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}
	}
	num := func(s string, def int) int {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
		return def
	}
	y, mo := num(m[1], 0), time.Month(num(m[2], 0))
	if m[3] == "" {
		return time.Date(y, mo+1, 1, 8, 0, 0, 0, time.Local)
	}
	return time.Date(y, mo, num(m[3], 1), num(m[4], 8), num(m[5], 0), 0, 0, time.Local)
}
