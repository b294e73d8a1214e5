// Package cli implements the telemonitor commands. Flags and output formats
// are a contract that automated checks depend on: keep them stable.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ses-mg/telemonitor/internal/config"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=…".
var Version = "0.1.0-dev"

const usage = `uso: telemonitor <comando> [opções]

Comandos:
  serve   [--addr :8080] [--db ARQUIVO] [--demo]        inicia o painel web
  status  [--db ARQUIVO] [--format csv|json] [--all]    situação dos municípios
  import  [--db ARQUIVO] [--kind auto|abrangencia|formalizacao|ponto-focal|moodle|cadastro|envio|teleconsultas]
          [--course NOME_BREVE] [--dry-run] [--confirmar-remocao] [--format text|json] ARQUIVO|PASTA ...
  export  [--db ARQUIVO] --format xlsx|csv [--macro M] [--micro M] [--urs U] [--nucleo N] [--situacao S] [--faltam 1]
          [--out ARQUIVO] [--profissionais]             planilha ou CSV para a abrangência escolhida
  mudancas --de DATA [--ate DATA] [--db ARQUIVO] [--format csv|xlsx] [--out ARQUIVO] [--macro M] [--micro M]
          [--urs U] [--nucleo N]                        municípios que mudaram entre duas datas (pelas evidências)
  user    add|list|disable|enable|passwd [--db ARQUIVO] [--email E] [--role admin|urs|municipio]
          [--urs NOME] [--municipio IBGE]               contas de acesso (senha pelo terminal ou stdin)
  sla     [--db ARQUIVO] [--de AAAA-MM-DD] [--ate AAAA-MM-DD] [--em "AAAA-MM-DD HH:MM"]
          [--por nucleo|especialidade|mes|municipio|urs|macro[,…]] [--format csv|json]
                                                        teleconsultorias: respostas em 72 h, atrasos, tempos
  avisos  enviar --urs U [--municipios] [--dry-run] [--db ARQUIVO]
                                                        resumo semanal da URS (e avisos dos pendentes) por e-mail
  demo    --scale K --out PASTA                         arquivos sintéticos de qualquer tamanho (testes de carga)
  backup  [--db ARQUIVO] --out ARQUIVO                  cópia consistente do banco, com o servidor no ar
  version                                               mostra a versão

Variáveis de ambiente: TELEMONITOR_DB, TELEMONITOR_DEMO_DB, TELEMONITOR_ADDR, TELEMONITOR_BLOCO1_CURSOS,
TELEMONITOR_PROXY_HEADER, TELEMONITOR_PROXIES_CONFIAVEIS.
`

// errUsage marks a usage error (exit 2).
var errUsage = errors.New("uso incorreto")

// Run runs the command in args and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cfg := config.FromEnv()
	switch args[0] {
	case "serve", "status", "import", "export", "mudancas", "user", "backup", "avisos":
		if err := cfg.Validate(); err != nil {
			fmt.Fprintf(stderr, "erro de configuração (variáveis de ambiente):\n%s\n", indent(err.Error()))
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if args[0] == "serve" {
		serveMemoryLimit()
	} else {
		batchMemoryLimit()
	}
	switch args[0] {
	case "serve":
		err = serve(ctx, cfg, args[1:], stderr)
	case "status":
		err = status(ctx, cfg, args[1:], stdout, stderr)
	case "import":
		var code int
		code, err = importCmd(ctx, cfg, args[1:], stdout, stderr)
		if err == nil {
			return code
		}
	case "export":
		err = exportCmd(ctx, cfg, args[1:], stdout, stderr)
	case "mudancas":
		err = mudancasCmd(ctx, cfg, args[1:], stdout, stderr)
	case "avisos":
		err = avisosCmd(ctx, cfg, args[1:], stdout, stderr)
	case "user":
		err = userCmd(ctx, cfg, args[1:], stdout, stderr, terminalPassword(os.Stdin))
	case "sla":
		err = slaCmd(ctx, cfg, args[1:], stdout, stderr)
	case "demo":
		err = demoCmd(args[1:], stdout, stderr)
	case "backup":
		err = backupCmd(ctx, cfg.DB, cfg.Engine(), args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "telemonitor %s\n", Version)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "comando desconhecido: %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "%v\n\n", err)
		}
		fmt.Fprint(stderr, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "erro: %v\n", err)
		return 1
	}
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// indent puts each line of s after two spaces.
func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
