// Package config reads the settings from environment variables (prefix
// TELEMONITOR_) with typed defaults; command-line flags override them.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
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
	// TrustedProxies (TELEMONITOR_PROXIES_CONFIAVEIS, comma-separated) are
	// the reverse proxies whose ProxyHeader is believed: IP addresses or
	// CIDR prefixes, as written (see TrustedProxyPrefixes). Every entry is
	// kept, empty ones included, so that Validate can point at them.
	TrustedProxies []string
}

// Defaults.
const (
	DefaultDB     = "data/telemonitor.db"
	DefaultDemoDB = "data/telemonitor-demo.db"
	DefaultAddr   = ":8080"
)

// Environment variables.
const (
	EnvDB             = "TELEMONITOR_DB"
	EnvDemoDB         = "TELEMONITOR_DEMO_DB"
	EnvAddr           = "TELEMONITOR_ADDR"
	EnvBlock1Courses  = "TELEMONITOR_BLOCO1_CURSOS"
	EnvProxyHeader    = "TELEMONITOR_PROXY_HEADER"
	EnvTrustedProxies = "TELEMONITOR_PROXIES_CONFIAVEIS"
)

// FromEnv reads the environment.
func FromEnv() Config {
	c := Config{DB: DefaultDB, DemoDB: DefaultDemoDB, Addr: DefaultAddr, Block1Courses: []string{conditions.DefaultBlock1Course}}
	if v := os.Getenv(EnvDB); v != "" {
		c.DB = v
	}
	if v := os.Getenv(EnvDemoDB); v != "" {
		c.DemoDB = v
	}
	c.ProxyHeader = strings.TrimSpace(os.Getenv(EnvProxyHeader))
	if v := os.Getenv(EnvAddr); v != "" {
		c.Addr = v
	}
	if v := os.Getenv(EnvBlock1Courses); v != "" {
		c.Block1Courses = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.Block1Courses = append(c.Block1Courses, s)
			}
		}
	}
	if v := os.Getenv(EnvTrustedProxies); strings.TrimSpace(v) != "" {
		for _, s := range strings.Split(v, ",") {
			c.TrustedProxies = append(c.TrustedProxies, strings.TrimSpace(s))
		}
	}
	return c
}

// Validate checks the configuration and returns every problem found, each
// in Portuguese and naming its environment variable.
func (c Config) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, fmt.Errorf("%s: o caminho do banco de dados está vazio", EnvDB))
	}
	if c.DemoDB == "" {
		errs = append(errs, fmt.Errorf("%s: o caminho do banco de demonstração está vazio", EnvDemoDB))
	}
	if err := CheckAddr(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", EnvAddr, err))
	}
	if len(c.Block1Courses) == 0 {
		errs = append(errs, fmt.Errorf("%s: nenhum curso do Bloco 1 informado (a lista ficou vazia depois de tirar "+
			"espaços e vírgulas); informe os nomes breves separados por vírgula, por exemplo %q",
			EnvBlock1Courses, conditions.DefaultBlock1Course))
	}
	if c.ProxyHeader != "" && !isHeaderName(c.ProxyHeader) {
		errs = append(errs, fmt.Errorf("%s=%q: não é um nome de cabeçalho HTTP (por exemplo X-Forwarded-For ou X-Real-IP)",
			EnvProxyHeader, c.ProxyHeader))
	}
	if _, err := TrustedProxyPrefixes(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", EnvTrustedProxies, err))
	}
	if c.ProxyHeader != "" && len(c.TrustedProxies) == 0 {
		errs = append(errs, fmt.Errorf("%s=%q sem %s: o cabeçalho só é lido quando vem de um proxy confiável; "+
			"informe os endereços do proxy reverso (por exemplo 127.0.0.1 ou 10.0.0.0/8)", EnvProxyHeader, c.ProxyHeader, EnvTrustedProxies))
	}
	return errors.Join(errs...)
}

// CheckAddr checks a listening address: host:porta with an optional host
// (an IP address or a host name) and a numeric port.
func CheckAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("endereço %q inválido: use host:porta, por exemplo :8080 ou 127.0.0.1:8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("endereço %q: a porta %q não é um número entre 0 e 65535", addr, port)
	}
	if host != "" && !isHostName(host) {
		if _, err := netip.ParseAddr(host); err != nil {
			return fmt.Errorf("endereço %q: %q não é um endereço IP nem um nome de máquina", addr, host)
		}
	}
	return nil
}

// TrustedProxyPrefixes parses trusted proxy entries: an IP address (a
// prefix of one address) or a CIDR prefix such as 10.0.0.0/8 or
// fd00::/8. IPv4-mapped IPv6 addresses become IPv4; prefixes are masked
// (10.1.2.3/8 is 10.0.0.0/8). Empty entries, zones and anything else are
// errors naming the entry.
func TrustedProxyPrefixes(entries []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(entries))
	var bad []string
	for i, e := range entries {
		p, err := parseProxy(e)
		if err != nil {
			bad = append(bad, fmt.Sprintf("entrada %d (%q): %v", i+1, e, err))
			continue
		}
		out = append(out, p)
	}
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "; "))
	}
	return out, nil
}

func parseProxy(s string) (netip.Prefix, error) {
	const hint = "use um endereço IP (10.0.0.5, fd00::5) ou uma faixa CIDR (10.0.0.0/8)"
	if s == "" {
		return netip.Prefix{}, errors.New("entrada vazia (vírgula sobrando?)")
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, errors.New("faixa CIDR inválida; " + hint)
		}
		a := p.Addr()
		if a.Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				return netip.Prefix{}, errors.New("faixa IPv4 em IPv6 mais curta que /96; " + hint)
			}
			p = netip.PrefixFrom(a.Unmap(), bits)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, errors.New("endereço IP inválido; " + hint)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// isHeaderName reports whether s is an HTTP header field name (an RFC 9110 token).
func isHeaderName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return s != ""
}

// isHostName reports whether s is a DNS host name (letters, digits,
// hyphens, dot-separated labels of 1 to 63 characters, not all digits).
func isHostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	digitsOnly := true
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-':
				digitsOnly = false
			case r >= '0' && r <= '9':
			default:
				return false
			}
		}
	}
	return !digitsOnly
}

// Engine is the condition engine's configuration.
func (c Config) Engine() conditions.Config {
	return conditions.Config{Block1Courses: c.Block1Courses}
}
