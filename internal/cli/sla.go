package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/export"
	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/store"
)

// slaOptions are the parsed flags of `telemonitor sla`.
type slaOptions struct {
	db     string
	format string
	opt    sla.Options
}

func parseSLAFlags(cfg config.Config, args []string, stderr io.Writer, now time.Time) (slaOptions, error) {
	fs := newFlags("sla", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	de := fs.String("de", "", "primeiro dia (AAAA-MM-DD) da data da solicitação")
	ate := fs.String("ate", "", "último dia (AAAA-MM-DD) da data da solicitação")
	em := fs.String("em", "", `momento de referência "AAAA-MM-DD HH:MM" (padrão: agora)`)
	por := fs.String("por", "", "agrupamento: nucleo, especialidade, mes, municipio, urs, macro (separados por vírgula)")
	format := fs.String("format", "csv", "csv ou json")
	if err := parseFlags(fs, args); err != nil {
		return slaOptions{}, err
	}
	if fs.NArg() > 0 {
		return slaOptions{}, fmt.Errorf("%w: argumento inesperado %q", errUsage, fs.Arg(0))
	}
	o := slaOptions{db: *db, format: *format, opt: sla.Options{At: now}}
	if o.format != "csv" && o.format != "json" {
		return o, fmt.Errorf("%w: --format deve ser csv ou json", errUsage)
	}
	var err error
	if o.opt.From, err = parseDay("--de", *de); err != nil {
		return o, err
	}
	if o.opt.To, err = parseDay("--ate", *ate); err != nil {
		return o, err
	}
	if !o.opt.From.IsZero() && !o.opt.To.IsZero() && o.opt.To.Before(o.opt.From) {
		return o, fmt.Errorf("%w: --ate (%s) antes de --de (%s)", errUsage, *ate, *de)
	}
	if *em != "" {
		if o.opt.At, err = time.ParseInLocation("2006-01-02 15:04", *em, time.Local); err != nil {
			return o, fmt.Errorf("%w: --em %q: use \"AAAA-MM-DD HH:MM\"", errUsage, *em)
		}
	}
	if *por != "" {
		if o.opt.By, err = sla.ParseDims(*por); err != nil {
			return o, fmt.Errorf("%w: --por: %v", errUsage, err)
		}
	}
	return o, nil
}

func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return t, fmt.Errorf("%w: %s %q: use AAAA-MM-DD", errUsage, flag, s)
	}
	return t, nil
}

// slaCmd prints the teleconsultation measures (see internal/sla) as CSV
// or JSON, one row per group, sorted by the grouping columns.
func slaCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	o, err := parseSLAFlags(cfg, args, stderr, time.Now())
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, o.db, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	// Measured as they are read: a million requests are never held.
	o.opt.Region = a.Territory.RegionOf
	tally := sla.NewTally(o.opt)
	err = a.Store.EachTeleconsultation(ctx, store.RequestFilter{From: o.opt.From, To: o.opt.To}, func(r *sla.Request) error {
		tally.Add(r)
		return nil
	})
	if err != nil {
		return err
	}
	rows := tally.Rows()
	if o.format == "json" {
		return writeSLAJSON(stdout, o.opt.By, rows)
	}
	return export.WriteSLACSV(stdout, o.opt.By, rows)
}

// writeSLAJSON writes one object per row, with the CSV's keys: the group's
// columns as text, counts as numbers, and the decimals as numbers or null.
func writeSLAJSON(w io.Writer, by []sla.Dim, rows []sla.Row) error {
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		m := map[string]any{"solicitacoes": r.Solicitacoes, "respondidas": r.Respondidas,
			"respondidas_72h": r.Respondidas72h, "em_atraso": r.EmAtraso,
			"pct_72h": jsonDecimal(r.Pct72h), "mediana_horas": jsonDecimal(r.MedianaHoras), "p90_horas": jsonDecimal(r.P90Horas)}
		for i, d := range by {
			m[d.Column()] = r.Keys[i]
		}
		out = append(out, m)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonDecimal(d sla.Decimal) any {
	if !d.OK {
		return nil
	}
	return json.Number(d.String())
}
