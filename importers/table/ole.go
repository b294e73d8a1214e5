package table

import (
	"bytes"

	"github.com/richardlehane/mscfb"
)

// An OLE compound file (magic D0 CF 11 E0) is a legacy .xls, or an .xlsx
// (or .ods) saved with a password: Office encrypts the whole package into
// the streams EncryptionInfo and EncryptedPackage. Neither can be read;
// each is refused with what to do about it.

// maxOLEEntries bounds the directory walk of a hostile file.
const maxOLEEntries = 4096

func refuseOLE(data []byte) error {
	switch oleContent(data) {
	case "encrypted":
		return fileErrorf("a planilha está protegida por senha: abra no Excel (ou no LibreOffice), retire a senha e salve de novo como .xlsx")
	case "word":
		return fileErrorf("o arquivo é um documento do Word (.doc), não uma planilha: envie a planilha em .xlsx, .ods ou .csv")
	}
	return fileErrorf("arquivos .xls (Excel 97-2003) não são aceitos: abra no Excel e salve como .xlsx ou .csv")
}

// oleContent names what an OLE file holds from its stream names:
// "encrypted", "word", or "" (a workbook, or unknown).
func oleContent(data []byte) string {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	for i := 0; i < maxOLEEntries; i++ {
		f, err := r.Next()
		if err != nil {
			return ""
		}
		switch f.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return "encrypted"
		case "WordDocument":
			return "word"
		case "Workbook", "Book":
			return ""
		}
	}
	return ""
}
