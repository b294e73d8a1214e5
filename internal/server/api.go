package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/monitor"
	"github.com/ses-mg/telemonitor/internal/territory"
)

func (s *Server) apiMunicipios(c *fiber.Ctx, snap *monitor.Snapshot) (any, error) {
	f, err := s.validFilter(c)
	if err != nil {
		return nil, err
	}
	rows := snap.Select(f)
	out := make([]monitor.Status, len(rows))
	for i, r := range rows {
		out[i] = r.Status()
	}
	return out, nil
}

type evidenceJSON struct {
	Texto   string `json:"texto"`
	Data    string `json:"data,omitempty"`
	Arquivo string `json:"arquivo,omitempty"`
	Linha   int    `json:"linha,omitempty"`
}

type conditionJSON struct {
	Condicao  string         `json:"condicao"`
	Estado    string         `json:"estado"`
	Evidencia []evidenceJSON `json:"evidencias"`
	Falta     string         `json:"falta,omitempty"`
	// Desde: the date the condition became cumprida, by its evidence;
	// RegistradoEm: when that evidence was imported.
	Desde        string `json:"cumprida_desde,omitempty"`
	RegistradoEm string `json:"registrado_em,omitempty"`
}

type nucleoJSON struct {
	Sigla    string `json:"sigla"`
	Nome     string `json:"nome"`
	Telefone string `json:"telefone"`
	Email    string `json:"email"`
}

type detailJSON struct {
	monitor.Status
	Populacao       int               `json:"populacao"`
	Condicoes       []conditionJSON   `json:"condicoes"`
	PontoFocal      string            `json:"ponto_focal_nome,omitempty"`
	NucleoContato   *nucleoJSON       `json:"nucleo_contato,omitempty"`
	DadosEnviadosEm string            `json:"dados_enviados_em,omitempty"`
	AptoDesde       string            `json:"apto_desde,omitempty"`
	Profissionais   conditions.Counts `json:"profissionais"`
}

func dateISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func (s *Server) apiMunicipio(c *fiber.Ctx, snap *monitor.Snapshot) (any, error) {
	r, err := municipioParam(c, snap)
	if err != nil {
		return nil, err
	}
	d := detailJSON{Status: r.Status(), Populacao: r.Population, DadosEnviadosEm: dateISO(r.DataSentOn), Profissionais: r.Counts,
		AptoDesde: dateISO(r.AptoSince)}
	if r.FocalPoint != nil {
		d.PontoFocal = r.FocalPoint.Name
	}
	if n, ok := territory.NucleoByCode(r.Nucleo()); ok {
		d.NucleoContato = &nucleoJSON{Sigla: n.Code, Nome: n.FullName, Telefone: n.Phone, Email: n.Email}
	}
	d.Condicoes = []conditionJSON{}
	for _, res := range r.Conditions {
		cj := conditionJSON{Condicao: string(res.Condition), Estado: string(res.State), Falta: res.Missing, Evidencia: []evidenceJSON{},
			Desde: dateISO(res.MetSince), RegistradoEm: dateISO(res.MetSource.ImportedAt())}
		for _, e := range res.Evidence {
			cj.Evidencia = append(cj.Evidencia, evidenceJSON{Texto: e.Text, Data: dateISO(e.Date), Arquivo: e.Source.File(), Linha: e.Source.Row})
		}
		d.Condicoes = append(d.Condicoes, cj)
	}
	return d, nil
}

func (s *Server) apiResumo(_ *fiber.Ctx, snap *monitor.Snapshot) (any, error) {
	return monitor.Summarise(snap.Select(monitor.Filter{})), nil
}
