package app

import (
	"testing"
	"time"
)

func TestReceivedAt(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.Local)
	}
	tests := []struct {
		name string
		want time.Time
	}{
		{"formalizacao_2024-07-15.xlsx", at(2024, 7, 15, 8, 0)},
		{"completion-telessaude_mg_bloco1-20241014_1620-comma_separated.csv", at(2024, 10, 14, 16, 20)},
		{"cadastro_profissionais_hc_ufmg_lote_2024-09-02.csv", at(2024, 9, 2, 8, 0)},
		{"Feluma_solicitacoes_2025-01.xlsx", at(2025, 2, 1, 8, 0)},
		{"teleconsultas_FM-UFMG_2025-12.csv", at(2026, 1, 1, 8, 0)},
		{"Indicacao_Ponto_Focal_Teleconsultoria(1-509).xlsx", time.Time{}},
		{"Planilha_cadastro_profissionais_Araxa.xlsx", time.Time{}},
		{"abrangencia.xlsx", time.Time{}},
		{"lista_2024-13.csv", time.Time{}},
	}
	for _, tt := range tests {
		if got := receivedAt(tt.name); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
