package territory

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
)

// LoadFS loads the territory from mg/municipios.csv and
// mg/regioes_saude.csv in fsys (the program embeds them: data.Territory)
// and returns its version: a checksum of the two files and of the
// núcleos' contacts, which changes when any of them does.
func LoadFS(fsys fs.FS) (*Territory, string, error) {
	mun, err := fs.ReadFile(fsys, "mg/municipios.csv")
	if err != nil {
		return nil, "", err
	}
	reg, err := fs.ReadFile(fsys, "mg/regioes_saude.csv")
	if err != nil {
		return nil, "", err
	}
	t, err := Load(bytes.NewReader(mun), bytes.NewReader(reg))
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	h.Write(mun)
	h.Write(reg)
	for _, n := range Nucleos {
		h.Write([]byte(n.Code + n.FullName + n.Phone + n.Email))
	}
	return t, hex.EncodeToString(h.Sum(nil)), nil
}
