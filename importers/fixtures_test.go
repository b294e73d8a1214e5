package importers_test

import (
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/importers/importertest"
	"github.com/ses-mg/telemonitor/importers/table"
)

// These tests read files written by the software SES receives them from
// (Excel's encryption, LibreOffice Calc), made by testdata/make_fixtures.py
// and committed; each kind's own fixtures are in its package's testdata/.

// A password-protected workbook and a legacy .xls are both OLE files; each
// is refused with what to do about it.
func TestOLEFilesAreToldApart(t *testing.T) {
	for name, want := range map[string]string{
		"protegida_senha.xlsx": "protegida por senha",
		"legado_excel97.xls":   "arquivos .xls (Excel 97-2003) não são aceitos",
	} {
		_, err := importertest.ParseFixture(t, "fixtures/"+name)
		if err == nil || !table.IsFileError(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
