// Command telemonitor is the monitoring dashboard of Minas Gerais's
// teleconsultation programme. See README.md.
package main

import (
	"os"

	"github.com/ses-mg/telemonitor/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
