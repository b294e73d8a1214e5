package server

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ses-mg/telemonitor/web"
)

var pageNames = []string{"index"}

func mustParsePages(assets web.Assets) map[string]*template.Template {
	funcs := template.FuncMap{
		"asset": func(name string) string {
			u := assets.URL(name)
			if u == "" {
				panic("missing asset " + name)
			}
			return u
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(web.Templates, "templates/layout.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

func (s *Server) render(c *fiber.Ctx, page string, data any) error {
	var buf bytes.Buffer
	if err := s.pages[page].Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

func percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total)), ".", ",", 1)
}
