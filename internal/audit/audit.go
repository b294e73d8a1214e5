// Package audit names what the audit log records. Entries are appended
// through store.Audit (the table refuses updates and deletes); this package
// keeps the action names and their Portuguese descriptions in one place.
package audit

import "time"

// Actions recorded in the audit log.
const (
	Login          = "login"
	LoginFailed    = "login.falha"
	LoginThrottled = "login.bloqueado"
	Logout         = "logout"
	Denied         = "acesso.negado"
	PersonalView   = "dados_pessoais.visualizacao"
	Export         = "exportacao"
	ImportPreview  = "importacao.previa"
	ImportConfirm  = "importacao.confirmada"
	ImportDiscard  = "importacao.descartada"
	ImportCLI      = "importacao.cli"
	ImportRefused  = "importacao.arquivo_recusado"
	FileDownload   = "importacao.arquivo_original"
	RejectReport   = "importacao.relatorio_rejeicoes"
	UserAdded      = "usuario.criado"
	UserDisabled   = "usuario.desativado"
	UserEnabled    = "usuario.reativado"
	UserPassword   = "usuario.senha_alterada"
	AuditView      = "auditoria.visualizacao"
	AuditExport    = "auditoria.exportacao"
	LinkConfirmed  = "conciliacao.vinculo"
	LinkUndone     = "conciliacao.vinculo_desfeito"
)

// Anonymous is the actor of an action done without logging in.
const Anonymous = "anônimo"

// AnonymousWindow is how long the anonymous actions of one client (same
// action, IP and outcome) are counted on one entry instead of one entry
// each (store.AuditAnonymous): a client can add at most one entry per
// action and outcome in that time.
const AnonymousWindow = 10 * time.Minute

// Outcomes.
const (
	OK      = "ok"
	Failed  = "falha"
	Refused = "negado"
)

// Labels describes each action for the admin page.
var Labels = map[string]string{
	Login:          "Entrada no sistema",
	LoginFailed:    "Tentativa de entrada com senha errada",
	LoginThrottled: "Entrada bloqueada por excesso de tentativas",
	Logout:         "Saída do sistema",
	Denied:         "Acesso negado (fora do perfil ou da abrangência)",
	PersonalView:   "Visualização de dados pessoais",
	Export:         "Exportação de planilha ou CSV",
	ImportPreview:  "Prévia de importação",
	ImportConfirm:  "Importação confirmada",
	ImportDiscard:  "Prévia de importação descartada",
	ImportCLI:      "Importação pela linha de comando",
	ImportRefused:  "Arquivo recusado na importação (ilegível ou de tipo desconhecido)",
	FileDownload:   "Download de arquivo original importado",
	RejectReport:   "Download do relatório de rejeições",
	UserAdded:      "Usuário criado",
	UserDisabled:   "Usuário desativado",
	UserEnabled:    "Usuário reativado",
	UserPassword:   "Senha alterada",
	AuditView:      "Consulta ao registro de auditoria",
	AuditExport:    "Exportação do registro de auditoria",
	LinkConfirmed:  "Conciliação: conclusão do Moodle vinculada a um profissional",
	LinkUndone:     "Conciliação: vínculo desfeito",
}

// Label is the description of an action (the action itself when unknown).
func Label(action string) string {
	if l, ok := Labels[action]; ok {
		return l
	}
	return action
}
