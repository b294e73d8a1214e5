package monitor

import "github.com/ses-mg/telemonitor/internal/conditions"

// Status is a municipality's status as the contract of `telemonitor
// status` and of /api/v1/municipios gives it: the same keys and values,
// built here once.
type Status struct {
	IBGE           string `json:"ibge"`
	Municipio      string `json:"municipio"`
	Macrorregiao   string `json:"macrorregiao"`
	Microrregiao   string `json:"microrregiao"`
	URS            string `json:"urs"`
	Nucleo         string `json:"nucleo"`
	Formalizacao   string `json:"formalizacao"`
	PontoFocal     string `json:"ponto_focal"`
	CapacitacaoAPS string `json:"capacitacao_aps"`
	CapacitacaoAAE string `json:"capacitacao_aae"`
	Planilha       string `json:"planilha"`
	Situacao       string `json:"situacao"`
}

// StatusHeader is the status CSV's header: Status's keys, in its order.
var StatusHeader = []string{"ibge", "municipio", "macrorregiao", "microrregiao", "urs", "nucleo",
	"formalizacao", "ponto_focal", "capacitacao_aps", "capacitacao_aae", "planilha", "situacao"}

// Status returns the row's status.
func (r Row) Status() Status {
	return Status{
		IBGE: r.Municipality.IBGE, Municipio: r.Name, Macrorregiao: r.MacroName, Microrregiao: r.MicroName, URS: r.URS,
		Nucleo: r.Nucleo(), Formalizacao: string(r.State(conditions.Formalizacao)), PontoFocal: string(r.State(conditions.PontoFocal)),
		CapacitacaoAPS: string(r.State(conditions.CapacitacaoAPS)), CapacitacaoAAE: string(r.State(conditions.CapacitacaoAAE)),
		Planilha: string(r.State(conditions.Planilha)), Situacao: string(r.Situation),
	}
}

// Record is the status as a CSV record, in StatusHeader's order.
func (s Status) Record() []string {
	return []string{s.IBGE, s.Municipio, s.Macrorregiao, s.Microrregiao, s.URS, s.Nucleo, s.Formalizacao, s.PontoFocal,
		s.CapacitacaoAPS, s.CapacitacaoAAE, s.Planilha, s.Situacao}
}
