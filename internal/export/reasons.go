package export

import "github.com/ses-mg/telemonitor/internal/records"

// reasons words each issue code for the municipality that will fix the
// row: what is wrong and what to do.
var reasons = map[string]string{
	records.MunicipioNaoEncontrado:   "O município da linha não foi encontrado entre os municípios de Minas Gerais. Escreva o nome como no IBGE ou use o código IBGE de 7 dígitos.",
	records.SemNome:                  "Nome não preenchido. Preencha o nome completo.",
	records.SemCPF:                   "CPF não preenchido. Preencha o CPF do profissional.",
	records.CPFInvalido:              "CPF inválido: os dígitos verificadores não conferem. Confira o número no documento e corrija.",
	records.IdentificadorPerdido:     "O número foi estragado pela planilha (virou notação científica, como 2,9684E+14) e não pode ser recuperado. Formate a coluna como texto e digite o número de novo.",
	records.DataInvalida:             "Data ausente ou não reconhecida. Use o formato dd/mm/aaaa.",
	records.SemContatoValido:         "Sem contato válido: informe um e-mail ou um telefone com DDD.",
	records.NucleoInvalido:           "Núcleo de telessaúde não reconhecido. Use FM-UFMG, Feluma ou HC-UFMG.",
	records.SituacaoDesconhecida:     "Valor não reconhecido nesta coluna. Use um dos valores indicados no modelo (por exemplo, Sim ou Não).",
	records.CNSInvalido:              "Cartão Nacional de Saúde (CNS) inválido: o campo foi descartado e a linha foi aceita. Confira o número.",
	records.CNESInvalido:             "CNES inválido (deve ter 7 dígitos): o campo foi descartado e a linha foi aceita. Confira o código do estabelecimento.",
	records.INEInvalido:              "INE inválido (deve ter 10 dígitos): o campo foi descartado e a linha foi aceita. Confira o código da equipe.",
	records.EmailInvalido:            "E-mail inválido: o campo foi descartado e a linha foi aceita. Confira o endereço.",
	records.TelefoneInvalido:         "Telefone inválido: o campo foi descartado e a linha foi aceita. Informe o número com DDD.",
	records.NivelAtencaoDesconhecido: "Nível de atenção não informado ou não reconhecido: o profissional conta para a planilha, mas não para a capacitação. Informe APS ou AAE.",
	records.CPFDuplicado:             "CPF repetido na planilha do município: as linhas contam como um só profissional. Remova a linha repetida.",
	records.ZerosRestaurados:         "O CPF (ou código) tinha perdido os zeros à esquerda; foram recolocados e a linha foi aceita. Formate a coluna como texto para evitar.",
	records.ConclusaoSemProfissional: "Conclusão do 1º bloco sem profissional correspondente na planilha de cadastro (por CPF ou e-mail). Cadastre o profissional na planilha com o mesmo CPF ou e-mail usado no Moodle.",
	records.SemDataConclusao:         "Sem data de conclusão: o curso não consta como concluído.",
	records.CursoForaDoBloco1:        "Curso que não faz parte do 1º bloco: não conta para a capacitação.",
	records.MunicipioEmDoisNucleos:   "Município listado com dois núcleos diferentes: vale o primeiro. Corrija a lista de abrangência.",
}

// Reason is an issue's reason in words. A code without words gets a
// generic sentence, not the importer's message, which may quote personal
// values.
func Reason(i records.Issue) string {
	if r, ok := reasons[i.Code]; ok {
		return r
	}
	return "Problema nesta linha (código " + i.Code + "): confira a coluna indicada."
}
