// Package scale writes synthetic input files, in the layouts of FORMATS.md,
// at any size: the same six kinds the programme receives, with valid and
// invalid identifiers mixed in, for benchmarks and load tests. Scale 1 is
// about 5,000 Moodle rows and 2,500 registration rows; the stage always has
// 465 municipalities.
package scale

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ses-mg/telemonitor/internal/conditions"
	"github.com/ses-mg/telemonitor/internal/territory"
)

// Per-scale sizes.
const (
	StageSize             = 465
	ProfessionalsPerScale = 2500
	MoodleRowsPerScale    = 5000
)

// File names written by Generate, in the order they are to be imported.
const (
	FileAbrangencia  = "1_abrangencia.xlsx"
	FileFormalizacao = "2_formalizacao.xlsx"
	FilePontoFocal   = "3_ponto_focal.xlsx"
	FileCadastro     = "4_cadastro_consolidado.xlsx"
	FileMoodle       = "completion-" + conditions.DefaultBlock1Course + "-20241014_1620-comma_separated.csv"
	FileEnvio        = "6_envio.xlsx"
)

// Files are the generated file names in import order.
var Files = []string{FileAbrangencia, FileFormalizacao, FilePontoFocal, FileCadastro, FileMoodle, FileEnvio}

var nucleos = []string{"FM-UFMG", "Feluma", "HC-UFMG"}

// Generate writes the six files of scale k into dir (created if missing).
func Generate(tr *territory.Territory, k int, dir string) error {
	if k < 1 {
		return fmt.Errorf("scale: k must be at least 1, got %d", k)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{rng: rand.New(rand.NewPCG(uint64(k), 2026)), dir: dir}
	g.stage = g.pickStage(tr)
	g.people = g.makePeople(k * ProfessionalsPerScale)
	for _, step := range []func() error{g.abrangencia, g.formalizacao, g.pontoFocal, g.cadastro,
		func() error { return g.moodle(k * MoodleRowsPerScale) }, g.envio} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

type person struct {
	mun   territory.Municipality
	name  string
	cpf   string
	cns   string
	email string
	level string
	ine   string
}

type gen struct {
	rng    *rand.Rand
	dir    string
	stage  []territory.Municipality
	people []person
}

func (g *gen) pickStage(tr *territory.Territory) []territory.Municipality {
	all := append([]territory.Municipality(nil), tr.Municipalities...)
	g.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	n := min(StageSize, len(all))
	return all[:n]
}

var (
	firstNames = []string{"Ana", "Bruno", "Carla", "Daniel", "Elaine", "Fábio", "Gabriela", "Hélio", "Íris", "João",
		"Karina", "Lucas", "Márcia", "Nélson", "Otávio", "Patrícia", "Raquel", "Sérgio", "Tânia", "Vítor"}
	lastNames = []string{"Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Carvalho", "Ferreira", "Gonçalves",
		"Conceição", "Araújo", "Ribeiro", "Almeida", "Rocha", "Magalhães", "Assunção"}
)

func (g *gen) name() string {
	return firstNames[g.rng.IntN(len(firstNames))] + " " + lastNames[g.rng.IntN(len(lastNames))] + " " +
		lastNames[g.rng.IntN(len(lastNames))]
}

func (g *gen) makePeople(n int) []person {
	out := make([]person, n)
	for i := range out {
		m := g.stage[g.rng.IntN(len(g.stage))]
		p := person{mun: m, name: g.name(), cpf: CPF(100000000 + i*7), email: fmt.Sprintf("prof%06d@saude.mg.example", i)}
		if g.rng.IntN(5) == 0 {
			p.level = "AAE"
		} else {
			p.level = "APS"
			p.ine = fmt.Sprintf("%010d", 1000000+i)
		}
		if g.rng.IntN(3) > 0 {
			p.cns = CNS(70000000000000 + int64(i)*13)
		}
		out[i] = p
	}
	return out
}

func (g *gen) abrangencia() error {
	return g.xlsx(FileAbrangencia, "Abrangência", []any{"Código IBGE", "Município", "Núcleo", "Etapa", "Sede AAE", "AAE em estruturação"},
		len(g.stage), func(i int) []any {
			m := g.stage[i]
			seat, setup := "Não", "Não"
			if i%9 == 0 {
				seat = "Sim"
				if i%27 == 0 {
					setup = "Sim"
				}
			}
			return []any{m.IBGE, m.Name, nucleos[i%3], 1, seat, setup}
		})
}

func (g *gen) formalizacao() error {
	base := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	return g.xlsx(FileFormalizacao, "Formalização", []any{"Código IBGE", "Município", "Situação", "Data da assinatura", "Nº SEI"},
		len(g.stage), func(i int) []any {
			m := g.stage[i]
			if g.rng.IntN(10) < 8 {
				return []any{m.IBGE, m.Name, "Assinado", base.AddDate(0, 0, g.rng.IntN(120)), fmt.Sprintf("1320.01.%07d/2024-%02d", i, i%90)}
			}
			return []any{m.IBGE, m.Name, "Em tramitação", "", ""}
		})
}

func (g *gen) pontoFocal() error {
	header := []any{"ID", "Hora de início", "Hora de conclusão", "Email", "Nome", "Hora da última modificação",
		"Município", "Nome completo do ponto focal", "CPF do ponto focal", "E-mail do ponto focal", "Telefone (WhatsApp)", "Cargo"}
	n := len(g.stage) * 11 / 10
	start := time.Date(2024, 5, 2, 9, 0, 0, 0, time.UTC)
	return g.xlsx(FilePontoFocal, "Form1", header, n, func(i int) []any {
		m := g.stage[i%len(g.stage)] // past the end: re-submissions
		at := start.Add(time.Duration(i) * 37 * time.Minute)
		return []any{i + 1, at.Add(-5 * time.Minute), at, "anonymous", "", "", m.Name, g.name(), CPF(900000000 + i),
			fmt.Sprintf("pontofocal%04d@%s.mg.example", i, "prefeitura"), fmt.Sprintf("(31) 9%04d-%04d", i%10000, (i*7)%10000),
			"Coordenador(a) da Atenção Primária"}
	})
}

func (g *gen) cadastro() error {
	header := []any{"Município", "Código IBGE", "Nome do profissional", "CPF", "CNS", "CBO", "Ocupação", "CNES",
		"Estabelecimento", "INE", "Nível de atenção", "E-mail", "Telefone"}
	return g.xlsx(FileCadastro, "Profissionais", header, len(g.people), func(i int) []any {
		p := g.people[i]
		cpf := any(p.cpf)
		switch i % 50 {
		case 7:
			cpf = "123.456.789-00" // invalid check digits: rejected
		case 13:
			n, _ := strconv.Atoi(p.cpf) // p.cpf is 11 digits
			cpf = n                     // a number cell: zeros restored when short
		}
		return []any{p.mun.Name, p.mun.IBGE, p.name, cpf, p.cns, "225142", "Médico(a) de família", fmt.Sprintf("%07d", 2000000+i%5000),
			"UBS " + p.mun.Name, p.ine, p.level, p.email, "(31) 3333-4444"}
	})
}

func (g *gen) moodle(rows int) error {
	f, err := os.Create(filepath.Join(g.dir, FileMoodle))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString("\uFEFFID,Nome,Endereço de email,CPF,Cidade/Município,Questionário final,Questionário final - Data de conclusão,Curso concluído\r\n")
	base := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < rows; i++ {
		var name, email, cpf, city string
		if i < len(g.people) {
			p := g.people[i]
			name, email, cpf, city = p.name, p.email, p.cpf, p.mun.Name
		} else {
			name, email, city = g.name(), fmt.Sprintf("aluno%07d@example.org", i), g.stage[i%len(g.stage)].Name
		}
		done := ""
		if g.rng.IntN(10) < 7 {
			done = base.Add(time.Duration(g.rng.IntN(200*24)) * time.Hour).Format("2/01/2006 15:04")
		}
		fmt.Fprintf(w, "%d,%s,%s,%s,%s,%s,%s,%s\r\n", 1000+i, name, email, cpf, city, yes(done), done, done)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func (g *gen) envio() error {
	base := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	n := len(g.stage) / 2
	return g.xlsx(FileEnvio, "Envios", []any{"Código IBGE", "Município", "Data de envio"}, n, func(i int) []any {
		m := g.stage[i*2]
		return []any{m.IBGE, m.Name, base.AddDate(0, 0, i%60)}
	})
}

func yes(done string) string {
	if done == "" {
		return ""
	}
	return "Concluído"
}

// xlsx streams a one-sheet workbook: a header then n rows from row(i).
func (g *gen) xlsx(name, sheet string, header []any, n int, row func(i int) []any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row(i)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(filepath.Join(g.dir, name))
}

// CPF returns the CPF whose first nine digits are base (mod 1e9,
// zero-padded), with its two mod-11 check digits. Bases of nine equal
// digits give CPFs that validation refuses.
func CPF(base int) string {
	d := make([]int, 0, 11)
	s := fmt.Sprintf("%09d", base%1000000000)
	for _, c := range s {
		d = append(d, int(c-'0'))
	}
	for len(d) < 11 {
		sum := 0
		for i, v := range d {
			sum += v * (len(d) + 1 - i)
		}
		r := sum * 10 % 11
		if r == 10 {
			r = 0
		}
		d = append(d, r)
	}
	return digits(d)
}

// CNS returns a valid provisional CNS (starting with 7): fourteen digits
// from base, and a last digit that makes the weighted sum divisible by 11;
// bases for which no digit does are moved to the next one.
func CNS(base int64) string {
	for {
		s := fmt.Sprintf("7%013d", base%10000000000000)
		d := make([]int, 0, 15)
		sum := 0
		for i, c := range s {
			v := int(c - '0')
			d = append(d, v)
			sum += v * (15 - i)
		}
		last := (11 - sum%11) % 11
		if last < 10 {
			return digits(append(d, last))
		}
		base++
	}
}

func digits(d []int) string {
	b := make([]byte, len(d))
	for i, v := range d {
		b[i] = byte('0' + v)
	}
	return string(b)
}
