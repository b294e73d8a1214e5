package settings

import (
	"fmt"
	"time"
)

// Changes lists, in Portuguese, what differs between two revisions, for
// the audit log: each changed field with its old and new value; the SMTP
// password is named, never shown.
func Changes(old, new Settings) []string {
	var out []string
	add := func(label, a, b string) {
		if a != b {
			out = append(out, fmt.Sprintf("%s: %q → %q", label, a, b))
		}
	}
	add("caixa da SES", old.SESMailbox, new.SESMailbox)
	add("formulário de indicação", old.NominationForm, new.NominationForm)
	add("Moodle", old.Moodle, new.Moodle)
	add("manual do Moodle", old.MoodleManual, new.MoodleManual)
	names := map[string]bool{}
	for k := range old.URS {
		names[k] = true
	}
	for k := range new.URS {
		names[k] = true
	}
	for _, name := range sortedKeys(names) {
		a, b := old.URS[name], new.URS[name]
		add("URS "+name+" e-mail", a.Email, b.Email)
		add("URS "+name+" telefone", a.Phone, b.Phone)
		add("URS "+name+" referência", a.Reference, b.Reference)
	}
	for _, code := range sortedKeys(new.Nucleos) {
		a, b := old.Nucleos[code], new.Nucleos[code]
		add("núcleo "+code+" telefone", a.Phone, b.Phone)
		add("núcleo "+code+" e-mail", a.Email, b.Email)
		add("núcleo "+code+" plataforma", a.Platform, b.Platform)
		add("núcleo "+code+" manual", a.Manual, b.Manual)
	}
	add("SMTP servidor", old.SMTP.Host, new.SMTP.Host)
	add("SMTP porta", fmt.Sprint(old.SMTP.Port), fmt.Sprint(new.SMTP.Port))
	add("SMTP segurança", string(old.SMTP.Security), string(new.SMTP.Security))
	add("SMTP usuário", old.SMTP.User, new.SMTP.User)
	add("SMTP remetente", old.SMTP.From, new.SMTP.From)
	if old.SMTP.Password != new.SMTP.Password {
		out = append(out, "SMTP senha alterada")
	}
	add("resumo semanal", old.Digest.String(), new.Digest.String())
	return out
}

// Weekdays names the days of the week in Portuguese.
var Weekdays = [7]string{"domingo", "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado"}

// String describes the schedule ("segunda-feira às 08h", "desativado").
func (d Digest) String() string {
	if !d.Enabled {
		return "desativado"
	}
	return fmt.Sprintf("%s às %02dh", Weekdays[d.Weekday], d.Hour)
}

// Next is the first time the digest is due strictly after t (the zero
// time when the digest is disabled).
func (d Digest) Next(t time.Time) time.Time {
	if !d.Enabled {
		return time.Time{}
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), d.Hour, 0, 0, 0, t.Location())
	for i := 0; i < 8; i++ {
		at := day.AddDate(0, 0, i)
		if at.Weekday() == d.Weekday && at.After(t) {
			return at
		}
	}
	return time.Time{}
}
