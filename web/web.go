// Package web embeds the page templates and static assets (ECharts, the
// stylesheet, the MG map) so the binary serves everything itself, offline.
// Static files get content-hashed URLs and can be cached for a year.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed templates/*.html
var Templates embed.FS

//go:embed static
var static embed.FS

// Asset is a static file with its hashed URL.
type Asset struct {
	URL         string
	Body        []byte
	ContentType string
}

// Assets maps logical names (e.g. "echarts.min.js") to assets.
type Assets map[string]Asset

// LoadAssets reads the embedded static files and adds generated ones.
func LoadAssets(extra map[string][]byte) (Assets, error) {
	a := Assets{}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		a.add(strings.TrimPrefix(p, "static/"), body)
		return nil
	})
	for name, body := range extra {
		a.add(name, body)
	}
	return a, err
}

func (a Assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := fmt.Sprintf("/static/%s.%s%s", strings.TrimSuffix(name, ext), hex.EncodeToString(sum[:])[:12], ext)
	a[name] = Asset{URL: hashed, Body: body, ContentType: contentType(ext)}
}

// URL returns the hashed URL of a logical name ("" when unknown).
func (a Assets) URL(name string) string { return a[name].URL }

func contentType(ext string) string {
	switch ext {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}
