package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ses-mg/telemonitor/internal/app"
	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/config"
	"github.com/ses-mg/telemonitor/internal/mail"
	"github.com/ses-mg/telemonitor/internal/monitor"
)

// avisosCmd sends an URS's weekly digest now (and, with --municipios, the
// notice of each of its pendente municipalities) through the SMTP server
// of the settings; --dry-run prints the messages instead.
func avisosCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "enviar" {
		return fmt.Errorf("%w: use telemonitor avisos enviar --urs URS [--municipios] [--dry-run]", errUsage)
	}
	fs := newFlags("avisos enviar", stderr)
	db := fs.String("db", cfg.DB, "arquivo do banco SQLite")
	urs := fs.String("urs", "", "URS (obrigatória), como no painel")
	municipios := fs.Bool("municipios", false, "enviar também o aviso de pendências de cada município pendente da URS ao seu ponto focal")
	dry := fs.Bool("dry-run", false, "mostrar as mensagens sem enviar")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *urs == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: informe --urs (e nenhum outro argumento)", errUsage)
	}
	a, err := app.Open(ctx, *db, cfg.Engine())
	if err != nil {
		return err
	}
	defer a.Close()
	f := monitor.Filter{URS: *urs, Situacao: string(conditions.PendenteSit)}
	if err := f.Validate(a.Territory); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	now, actor := time.Now(), whoAmI()
	if *dry {
		_, m, err := a.Digest(ctx, *urs, now)
		if err != nil {
			return err
		}
		printMessage(stdout, m)
	} else {
		m, err := a.SendDigest(ctx, *urs, actor, "", now)
		if err != nil {
			return fmt.Errorf("resumo da URS %s: %w", *urs, err)
		}
		fmt.Fprintf(stdout, "resumo enviado para %s: %s\n", strings.Join(m.To, ", "), m.Subject)
	}
	if !*municipios {
		return nil
	}
	return sendNotices(ctx, a, f, *dry, actor, now, stdout)
}

func sendNotices(ctx context.Context, a *app.App, f monitor.Filter, dry bool, actor string, now time.Time, stdout io.Writer) error {
	snap, err := a.Snapshot(ctx)
	if err != nil {
		return err
	}
	list, err := a.Notices(ctx, snap, snap.Select(f), now)
	if err != nil {
		return err
	}
	var ready []app.Outgoing
	for _, o := range list {
		if len(o.Message.To) == 0 {
			fmt.Fprintf(stdout, "%s: sem e-mail do ponto focal, aviso não enviado\n", o.Notice.Municipality)
			continue
		}
		if dry {
			printMessage(stdout, o.Message)
		}
		ready = append(ready, o)
	}
	if dry {
		return nil
	}
	sent, err := a.SendNotices(ctx, ready, actor, "", now)
	if err != nil {
		return err
	}
	failed := 0
	for _, s := range sent {
		if s.Err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: falha: %v\n", s.Notice.Municipality, s.Err)
			continue
		}
		fmt.Fprintf(stdout, "%s: aviso enviado para %s\n", s.Notice.Municipality, strings.Join(s.Message.To, ", "))
	}
	if failed > 0 {
		return fmt.Errorf("%d aviso(s) não enviado(s)", failed)
	}
	return nil
}

// printMessage shows a message as --dry-run does.
func printMessage(w io.Writer, m mail.Message) {
	to := strings.Join(m.To, ", ")
	if to == "" {
		to = "(sem destinatário)"
	}
	fmt.Fprintf(w, "Para: %s\nAssunto: %s\n", to, m.Subject)
	for _, at := range m.Attachments {
		fmt.Fprintf(w, "Anexo: %s (%d bytes)\n", at.Name, len(at.Body))
	}
	fmt.Fprintf(w, "\n%s\n----\n", m.Text)
}
