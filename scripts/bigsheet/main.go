// Command bigsheet writes a registration sheet (.xlsx) of N valid,
// distinct professionals, to measure the memory of importing the largest
// sheet the reader accepts (docs/desempenho.md, issue 13). Outside CI.
//
//	go run ./scripts/bigsheet [-compact] OUT.xlsx N
//
// The default layout has inline strings and cell references, five
// municipalities, 250 bytes of XML a row (900,000 rows: 227 MB); -compact
// uses shared strings and no references, one municipality, 122 bytes a row.
package main

import (
	"archive/zip"
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"

	"github.com/ses-mg/telemonitor/internal/scale"
)

const ns = `xmlns="http://schemas.openxmlformats.org/`

func main() {
	compact := flag.Bool("compact", false, "shared strings, no cell references")
	flag.Parse()
	if flag.NArg() != 2 {
		log.Fatal("usage: bigsheet [-compact] OUT.xlsx N")
	}
	n, err := strconv.Atoi(flag.Arg(1))
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	z := zip.NewWriter(f)
	put := func(name, s string) {
		w, err := z.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		w.Write([]byte(s))
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types `+ns+`package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships `+ns+`package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook `+ns+`spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Cadastro" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships `+ns+`package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst `+ns+`spreadsheetml/2006/main"><si><t>Município</t></si><si><t>Nome</t></si><si><t>CPF</t></si><si><t>Nível de atenção</t></si><si><t>Belo Horizonte</t></si><si><t>Ana</t></si><si><t>APS</t></si></sst>`)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		log.Fatal(err)
	}
	b := bufio.NewWriterSize(w, 1<<20)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `spreadsheetml/2006/main"><sheetData>`)
	b.WriteString(`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>`)
	towns := []string{"Itabira", "Belo Horizonte", "Contagem", "Betim", "Uberaba"}
	for i := range n {
		if *compact {
			fmt.Fprintf(b, `<row><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c t="inlineStr"><is><t>%s</t></is></c><c t="s"><v>6</v></c></row>`, scale.CPF(100000000+i))
			continue
		}
		r := i + 2
		fmt.Fprintf(b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d" t="inlineStr"><is><t>Pessoa %d</t></is></c>`+
			`<c r="C%d" t="inlineStr"><is><t>%s</t></is></c><c r="D%d" t="inlineStr"><is><t>APS</t></is></c></row>`,
			r, r, towns[i%len(towns)], r, i, r, scale.CPF(100000000+i), r)
	}
	b.WriteString(`</sheetData></worksheet>`)
	if err := b.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := z.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
