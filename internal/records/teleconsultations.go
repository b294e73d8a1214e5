package records

import "time"

// The states of a teleconsultation request (canonical, from the núcleos'
// many spellings).
const (
	StatusRespondida = "respondida"
	StatusEmAnalise  = "em_analise"
	StatusDevolvida  = "devolvida"
	StatusCancelada  = "cancelada"
)

// Teleconsultation is one request exported by a núcleo's platform. A later
// file replaces the request with the same Nucleo and ID.
type Teleconsultation struct {
	Where
	Nucleo       string
	ID           string
	IBGE         string
	SentAt       time.Time // to the minute, Brasília wall time
	AnsweredAt   time.Time // zero while unanswered
	Status       string    // one of the Status* constants
	Specialty    string    // canonical name, or as given when unknown
	RequesterCPF string    // valid CPF or "" (personal data)
	RequesterCBO string
	CNES         string
	Avoided      string // "sim", "nao" or "" (not reported)
	Satisfaction int    // 1 (muito insatisfeito) … 5 (muito satisfeito), 0 not reported
}

// Reason codes of the teleconsultas kind (stable: automated checks read
// them).
const (
	// Rejections.
	SemIdentificador   = "sem_identificador"
	SemDataSolicitacao = "sem_data_solicitacao"
	RespostaAntes      = "resposta_antes_da_solicitacao"
	// Warnings.
	EspecialidadeDesconhecida = "especialidade_desconhecida"
	SolicitacaoDuplicada      = "solicitacao_duplicada"
	RespondidaSemData         = "respondida_sem_data"
	ValorNaoReconhecido       = "valor_nao_reconhecido"
)
