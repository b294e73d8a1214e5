// Package config reads the settings from environment variables (prefix
// TELEMONITOR_) with typed defaults; command-line flags override them.
package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

// Config is the program's configuration.
type Config struct {
	DB            string   // TELEMONITOR_DB
	DemoDB        string   // TELEMONITOR_DEMO_DB
	Addr          string   // TELEMONITOR_ADDR
	Block1Courses []string // TELEMONITOR_BLOCO1_CURSOS, comma-separated
	ProxyHeader   string   // TELEMONITOR_PROXY_HEADER: client address header set by a reverse proxy
	// InsecureCookies (TELEMONITOR_COOKIE_INSEGURO=1) drops the cookies'
	// Secure flag for a server reached over plain HTTP on a trusted network.
	InsecureCookies bool
}

// Defaults.
const (
	DefaultDB     = "data/telemonitor.db"
	DefaultDemoDB = "data/telemonitor-demo.db"
	DefaultAddr   = ":8080"
)

// FromEnv reads the environment.
func FromEnv() Config {
	c := Config{DB: DefaultDB, DemoDB: DefaultDemoDB, Addr: DefaultAddr, Block1Courses: []string{conditions.DefaultBlock1Course}}
	if v := os.Getenv("TELEMONITOR_DB"); v != "" {
		c.DB = v
	}
	if v := os.Getenv("TELEMONITOR_DEMO_DB"); v != "" {
		c.DemoDB = v
	}
	c.ProxyHeader = os.Getenv("TELEMONITOR_PROXY_HEADER")
	c.InsecureCookies = os.Getenv("TELEMONITOR_COOKIE_INSEGURO") == "1"
	if v := os.Getenv("TELEMONITOR_ADDR"); v != "" {
		c.Addr = v
	}
	if v := os.Getenv("TELEMONITOR_BLOCO1_CURSOS"); v != "" {
		c.Block1Courses = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.Block1Courses = append(c.Block1Courses, s)
			}
		}
	}
	return c
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.DB == "" {
		return fmt.Errorf("config: database path is empty")
	}
	if len(c.Block1Courses) == 0 {
		return fmt.Errorf("config: no Block-1 course configured")
	}
	return nil
}

// Engine is the condition engine's configuration.
func (c Config) Engine() conditions.Config {
	return conditions.Config{Block1Courses: c.Block1Courses}
}
