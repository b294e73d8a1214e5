package audit

// Actions of the programme settings, notices, digests and follow-up log.
const (
	SettingsChanged = "configuracoes.alteradas"
	NoticeSent      = "aviso.enviado"
	NoticeDownload  = "aviso.download"
	DigestSent      = "resumo.enviado"
	FollowupAdded   = "acompanhamento.registrado"
)

func init() {
	// Kept beside the constants they describe; Labels is read only after
	// package initialisation.
	Labels[SettingsChanged] = "Configurações do programa alteradas"
	Labels[NoticeSent] = "Aviso de pendências enviado por e-mail"
	Labels[NoticeDownload] = "Avisos de pendências baixados (.eml)"
	Labels[DigestSent] = "Resumo semanal da URS enviado por e-mail"
	Labels[FollowupAdded] = "Contato com município registrado no acompanhamento"
}
