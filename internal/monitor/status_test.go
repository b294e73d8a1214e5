package monitor

import (
	"encoding/json"
	"testing"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// The CSV record and the JSON object of a status carry the same values
// under the same names: StatusHeader[i] is the JSON key of Record()[i].
func TestStatusRecordMatchesJSON(t *testing.T) {
	r := Row{Municipality: territory.Municipality{IBGE: "3131703", Name: "Itabira", MacroName: "CENTRO", MicroName: "ITABIRA",
		URS: "Itabira"}}
	r.Coverage = &conditions.Coverage{Nucleo: "Feluma"}
	r.Situation = conditions.PendenteSit
	for i, c := range conditions.All {
		r.Conditions = append(r.Conditions, conditions.Result{Condition: c, State: []conditions.State{conditions.Cumprida,
			conditions.Pendente, conditions.Suspensa, conditions.NaoSeAplica, conditions.Cumprida}[i]})
	}
	st := r.Status()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]string
	if err := json.Unmarshal(b, &obj); err != nil {
		t.Fatal(err)
	}
	rec := st.Record()
	if len(rec) != len(StatusHeader) || len(obj) != len(StatusHeader) {
		t.Fatalf("record %d, header %d, JSON %d fields", len(rec), len(StatusHeader), len(obj))
	}
	for i, k := range StatusHeader {
		if obj[k] != rec[i] {
			t.Errorf("%s: JSON %q, CSV %q", k, obj[k], rec[i])
		}
	}
	if obj["capacitacao_aae"] != "nao_se_aplica" || obj["nucleo"] != "Feluma" || obj["situacao"] != "pendente" {
		t.Errorf("status %+v", obj)
	}
}
