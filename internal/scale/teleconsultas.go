package scale

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/ses-mg/telemonitor/internal/sla"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Teleconsultas writes n synthetic teleconsultation requests of the three
// núcleos into dir/teleconsultas_escala.csv (UTF-8, ";", dd/mm/aaaa hh:mm,
// a Núcleo column), sent over 12 months of 2025 by municipalities of the
// territory, with the demo's shape: skew by specialty, one slower núcleo,
// some unanswered, cancelled and returned requests. Deterministic.
func Teleconsultas(tr *territory.Territory, n int, dir string) (string, error) {
	path := filepath.Join(dir, "teleconsultas_escala.csv")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	rnd := rand.New(rand.NewPCG(18, 72))
	fmt.Fprint(w, "Protocolo;Núcleo;Código IBGE;Data da solicitação;Data da resposta;Situação;Especialidade\r\n")
	nucleos := []string{"FM-UFMG", "Feluma", "HC-UFMG"}
	median := []float64{20, 46, 26}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local)
	const layout = "02/01/2006 15:04"
	for i := range n {
		k := rnd.IntN(3)
		m := tr.Municipalities[rnd.IntN(len(tr.Municipalities))]
		// Squaring skews the choice towards the first specialties.
		spec := sla.Specialties[int(math.Pow(rnd.Float64(), 2)*float64(len(sla.Specialties)))]
		sent := start.Add(time.Duration(rnd.IntN(365*24*60)) * time.Minute)
		hours := math.Exp(math.Log(median[k]) + 0.55*rnd.NormFloat64())
		answered := sent.Add(time.Duration(max(5, math.Round(hours*60))) * time.Minute).Format(layout)
		status := "Respondida"
		switch x := rnd.Float64(); {
		case x < 0.025:
			answered, status = "", "Em análise"
		case x < 0.045:
			answered, status = "", "Cancelada"
		case x < 0.06:
			answered, status = "", "Devolvida"
		}
		fmt.Fprintf(w, "%d;%s;%s;%s;%s;%s;%s\r\n", i+1, nucleos[k], m.IBGE, sent.Format(layout), answered, status, spec)
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return path, f.Close()
}
