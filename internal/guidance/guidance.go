// Package guidance turns an evaluation into what people are told to do
// next, in plain Portuguese: the focal point's next step for each pending
// condition (what to send, to whom), and a professional's own path to the
// service (DOMAIN.md steps a–d). Every page and export that gives advice
// takes it from here.
package guidance

import (
	"fmt"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/present"
	"github.com/ses-mg/telemonitor/internal/settings"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Contact is someone to write to or call.
type Contact struct {
	Who   string
	Phone string
	Email string
}

// Step is one thing to do.
type Step struct {
	Condition conditions.Condition
	Title     string
	Do        string
	Contacts  []Contact
}

// NucleoContact is the núcleo's support contact, from the settings.
func NucleoContact(code string) (Contact, bool) {
	return NucleoContactIn(Current(), code)
}

// NucleoContactIn is NucleoContact with the given settings.
func NucleoContactIn(set settings.Settings, code string) (Contact, bool) {
	n, ok := territory.NucleoByCode(code)
	if !ok {
		return Contact{}, false
	}
	ct, _ := set.NucleoContact(code)
	return Contact{Who: "Núcleo " + n.Code + " (" + n.FullName + ")", Phone: ct.Phone, Email: ct.Email}, true
}

// Escalation is who to turn to when the núcleo does not answer within 3
// working days: the URS, then SES's mailbox.
func Escalation(urs string) []Contact {
	return EscalationIn(Current(), urs)
}

// EscalationIn is Escalation with the given settings.
func EscalationIn(set settings.Settings, urs string) []Contact {
	u := set.URSContact(urs)
	who := "URS " + urs + " (Unidade Regional de Saúde)"
	if u.Reference != "" {
		who += ", referência: " + u.Reference
	}
	return []Contact{
		{Who: who, Phone: u.Phone, Email: u.Email},
		{Who: "SES-MG, caixa da teleconsultoria", Email: set.SESMailbox},
	}
}

// NextSteps returns one step per pending condition of a contemplated
// municipality, in the order of conditions.All; for an apto municipality,
// the one step left (the data sent to the núcleo) or none.
func NextSteps(r monitor.Row) []Step {
	return NextStepsIn(Current(), r)
}

// NextStepsIn is NextSteps with the given settings.
func NextStepsIn(set settings.Settings, r monitor.Row) []Step {
	if r.Situation == conditions.NaoContemplado {
		return nil
	}
	nucleo, hasNucleo := NucleoContactIn(set, r.Nucleo())
	ses := EscalationIn(set, r.URS)
	withNucleo := func(extra ...Contact) []Contact {
		var out []Contact
		if hasNucleo {
			out = append(out, nucleo)
		}
		return append(out, extra...)
	}
	var steps []Step
	for _, c := range r.Missing() {
		s := Step{Condition: c.Condition, Title: present.ConditionName[c.Condition]}
		switch c.Condition {
		case conditions.Formalizacao:
			s.Do = "Assinar o instrumento de formalização entre o Estado e o Município. Acompanhe a tramitação com a URS " +
				r.URS + "; em caso de dúvida, escreva para a SES."
			s.Contacts = ses
		case conditions.PontoFocal:
			s.Do = "Indicar o ponto focal do município pelo formulário de indicação da SES (Microsoft Forms), com o nome " +
				"completo e pelo menos um contato válido (e-mail ou telefone). Peça o link do formulário à URS " + r.URS + "."
			if set.NominationForm != "" {
				s.Do = "Indicar o ponto focal do município pelo formulário de indicação da SES (Microsoft Forms), em " +
					set.NominationForm + ", com o nome completo e pelo menos um contato válido (e-mail ou telefone)."
			}
			s.Contacts = ses
		case conditions.Planilha:
			s.Do = "Preencher a planilha de cadastro dos profissionais enviada pelo núcleo e devolvê-la ao núcleo. " +
				"Cada profissional precisa de nome completo e CPF válido; informe o nível de atenção (APS ou AAE) e o e-mail " +
				"usado na plataforma de capacitação."
			s.Contacts = withNucleo()
		case conditions.CapacitacaoAPS:
			s.Do = trainingStep("da Atenção Primária (APS)", r.Counts.APS, r.Counts.TrainedAPS) + moodleLinks(set)
			s.Contacts = withNucleo(ses[1])
		case conditions.CapacitacaoAAE:
			s.Do = trainingStep("da Atenção Ambulatorial Especializada (AAE), referência do ponto de AAE da microrregião",
				r.Counts.AAE, r.Counts.TrainedAAE) + moodleLinks(set)
			s.Contacts = withNucleo(ses[1])
		}
		steps = append(steps, s)
	}
	if r.Situation == conditions.Apto {
		s := Step{Title: "Envio dos dados ao núcleo"}
		if r.DataSentOn.IsZero() {
			s.Do = "Todas as condições estão cumpridas. A SES enviará os dados dos profissionais ao núcleo; depois disso, " +
				"os profissionais acessam a plataforma de Telessaúde do núcleo com os dados cadastrados."
		} else {
			s.Do = "Dados dos profissionais enviados ao núcleo em " + present.Date(r.DataSentOn) + ". Os profissionais cadastrados já " +
				"podem usar a plataforma de Telessaúde do núcleo. Um profissional novo pede a inclusão ao núcleo, por e-mail, " +
				"por meio do gerente da unidade de saúde, com cópia para a coordenação municipal da Atenção Primária."
		}
		s.Contacts = withNucleo()
		steps = append(steps, s)
	}
	return steps
}

// moodleLinks points to the training platform and its registration
// manual, when the settings have them.
func moodleLinks(set settings.Settings) string {
	s := ""
	if set.Moodle != "" {
		s += " Plataforma de capacitação: " + set.Moodle + "."
	}
	if set.MoodleManual != "" {
		s += " Manual de cadastro: " + set.MoodleManual + "."
	}
	return s
}

func trainingStep(level string, registered, trained int) string {
	s := "Pelo menos 1 profissional " + level + " cadastrado na planilha precisa concluir o 1º bloco da capacitação na " +
		"plataforma Moodle da SES, usando o mesmo CPF (ou o mesmo e-mail) informado na planilha."
	switch {
	case registered == 0:
		s += " Hoje a planilha não tem nenhum profissional desse nível: inclua-o na planilha e envie-a de novo ao núcleo."
	default:
		who := "1 profissional"
		if registered > 1 {
			who = fmt.Sprintf("%d profissionais", registered)
		}
		s += fmt.Sprintf(" Hoje a planilha tem %s desse nível, %d com o 1º bloco concluído.", who, trained)
	}
	return s
}

// PathStep is one step of a professional's path to the service.
type PathStep struct {
	Letter string
	Title  string
	Done   bool
	Status string // feito, pendente, or não confirmado (what the data cannot tell)
	Text   string
}

// ProfessionalPath is DOMAIN.md's steps (a)–(d) for a registered
// professional of municipality r.
func ProfessionalPath(p monitor.Person, r monitor.Row) []PathStep {
	steps := []PathStep{
		{Letter: "a", Title: "Cadastro na plataforma de capacitação (Moodle da SES)", Done: p.Trained || p.Started},
		{Letter: "b", Title: "Conclusão do 1º bloco da capacitação", Done: p.Trained},
		{Letter: "c", Title: "Condicionalidades do município cumpridas", Done: r.Situation == conditions.Apto},
		{Letter: "d", Title: "Acesso à plataforma de Telessaúde do núcleo", Done: r.Situation == conditions.Apto && !r.DataSentOn.IsZero()},
	}
	switch {
	case p.Trained:
		steps[0].Text = "Confirmado pela conclusão do 1º bloco."
		steps[1].Text = "Concluído em " + present.Date(p.TrainedAt) + "."
	case p.Started:
		steps[0].Text = "Confirmado: o relatório do Moodle mostra você matriculado no 1º bloco."
		steps[1].Status = "em andamento"
		steps[1].Text = "Você começou o 1º bloco, falta concluir. Termine as atividades no Moodle; a conclusão aparece aqui " +
			"depois da próxima importação dos relatórios do Moodle."
	default:
		steps[0].Status = "não confirmado" // Moodle exports list completions, not enrolments
		steps[0].Text = "Cadastre-se na plataforma Moodle da SES com o mesmo CPF e e-mail informados na planilha do município."
		steps[1].Text = "Ainda não há conclusão do 1º bloco com o seu CPF ou e-mail. Conclua o 1º bloco; a informação aparece aqui " +
			"depois da próxima importação dos relatórios do Moodle."
	}
	if r.Situation == conditions.Apto {
		steps[2].Text = r.Name + " cumpre as quatro condicionalidades."
	} else {
		var names []string
		for _, m := range r.Missing() {
			names = append(names, present.ConditionName[m.Condition])
		}
		steps[2].Text = fmt.Sprintf("%s ainda não cumpre: %s. O ponto focal do município acompanha o que falta.", r.Name, joinPT(names))
	}
	switch {
	case steps[3].Done:
		steps[3].Text = "Os dados foram enviados ao núcleo " + r.Nucleo() + " em " + present.Date(r.DataSentOn) +
			". Entre na plataforma de Telessaúde do núcleo com os dados cadastrados."
	case r.Situation == conditions.Apto:
		steps[3].Text = "A SES ainda vai enviar os dados dos profissionais ao núcleo " + r.Nucleo() + "; depois disso, o acesso é liberado."
	default:
		steps[3].Text = "Liberado depois que o município cumprir as condicionalidades e a SES enviar os dados ao núcleo."
	}
	for i := range steps {
		switch {
		case steps[i].Status != "":
		case steps[i].Done:
			steps[i].Status = "feito"
		default:
			steps[i].Status = "pendente"
		}
	}
	return steps
}

// joinPT joins names as Portuguese prose: "a, b e c".
func joinPT(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := names[0]
	for _, n := range names[1 : len(names)-1] {
		out += ", " + n
	}
	return out + " e " + names[len(names)-1]
}
