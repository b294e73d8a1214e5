package config

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/ses-mg/telemonitor/internal/conditions"
)

func TestFromEnvAndValidate(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error; none: valid
	}{
		{"defaults", nil, nil},
		{"courses", map[string]string{EnvBlock1Courses: " APS1 , AAE1 ,"}, nil},
		{"courses only commas", map[string]string{EnvBlock1Courses: ","}, []string{EnvBlock1Courses, "nenhum curso do Bloco 1"}},
		{"courses only blanks", map[string]string{EnvBlock1Courses: " , ,  "}, []string{EnvBlock1Courses}},
		{"addr host and port", map[string]string{EnvAddr: "127.0.0.1:9000"}, nil},
		{"addr name", map[string]string{EnvAddr: "painel.saude.mg.gov.br:80"}, nil},
		{"addr ipv6", map[string]string{EnvAddr: "[::1]:8080"}, nil},
		{"addr no port", map[string]string{EnvAddr: "8080"}, []string{EnvAddr, `endereço "8080" inválido`}},
		{"addr port not a number", map[string]string{EnvAddr: ":http"}, []string{EnvAddr, "porta"}},
		{"addr port too large", map[string]string{EnvAddr: ":70000"}, []string{"entre 0 e 65535"}},
		{"addr empty port", map[string]string{EnvAddr: "127.0.0.1:"}, []string{"porta"}},
		{"addr bad host", map[string]string{EnvAddr: "meu servidor:8080"}, []string{"nem um nome de máquina"}},
		{"addr bad ip", map[string]string{EnvAddr: "300.1.1.1:8080"}, []string{EnvAddr}},
		{"proxy header", map[string]string{EnvProxyHeader: "X-Real-IP", EnvTrustedProxies: "10.0.0.1"}, nil},
		{"proxy header with colon", map[string]string{EnvProxyHeader: "X-Forwarded-For:"}, []string{EnvProxyHeader}},
		{"proxies", map[string]string{EnvTrustedProxies: "10.0.0.1, 192.168.0.0/16 ,fd00::/8,::1"}, nil},
		{"proxies not an ip", map[string]string{EnvTrustedProxies: "10.0.0.1,proxy.local"}, []string{EnvTrustedProxies, `entrada 2 ("proxy.local")`}},
		{"proxies bad cidr", map[string]string{EnvTrustedProxies: "10.0.0.0/33"}, []string{"faixa CIDR inválida"}},
		{"proxies trailing comma", map[string]string{EnvTrustedProxies: "10.0.0.1,"}, []string{"entrada 2", "vazia"}},
		{"proxies only comma", map[string]string{EnvTrustedProxies: ","}, []string{"entrada 1", "entrada 2"}},
		{"proxies zone", map[string]string{EnvTrustedProxies: "fe80::1%eth0"}, []string{"endereço IP inválido"}},
		{"proxy header without trusted proxies", map[string]string{EnvProxyHeader: "X-Forwarded-For"}, []string{EnvTrustedProxies, "proxy confiável"}},
		{"proxy header with trusted proxies", map[string]string{EnvProxyHeader: "X-Forwarded-For", EnvTrustedProxies: "127.0.0.1"}, nil},
		{"several problems", map[string]string{EnvAddr: "x", EnvBlock1Courses: ",", EnvTrustedProxies: "x"},
			[]string{EnvAddr, EnvBlock1Courses, EnvTrustedProxies}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{EnvDB, EnvDemoDB, EnvAddr, EnvBlock1Courses, EnvProxyHeader, EnvTrustedProxies} {
				t.Setenv(k, tc.env[k])
			}
			err := FromEnv().Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestFromEnvValues(t *testing.T) {
	t.Setenv(EnvBlock1Courses, " APS1 , AAE1 ,")
	t.Setenv(EnvTrustedProxies, " 10.0.0.1 ,fd00::/8")
	t.Setenv(EnvProxyHeader, " X-Real-IP ")
	c := FromEnv()
	if !reflect.DeepEqual(c.Block1Courses, []string{"APS1", "AAE1"}) {
		t.Errorf("courses %q", c.Block1Courses)
	}
	if !reflect.DeepEqual(c.TrustedProxies, []string{"10.0.0.1", "fd00::/8"}) {
		t.Errorf("proxies %q", c.TrustedProxies)
	}
	if c.ProxyHeader != "X-Real-IP" {
		t.Errorf("proxy header %q", c.ProxyHeader)
	}
	t.Setenv(EnvBlock1Courses, "")
	t.Setenv(EnvTrustedProxies, "  ")
	c = FromEnv()
	if !reflect.DeepEqual(c.Block1Courses, []string{conditions.DefaultBlock1Course}) || c.TrustedProxies != nil {
		t.Errorf("unset: courses %q, proxies %q", c.Block1Courses, c.TrustedProxies)
	}
}

func TestTrustedProxyPrefixes(t *testing.T) {
	got, err := TrustedProxyPrefixes([]string{"10.0.0.5", "10.1.2.3/8", "::ffff:192.168.1.1", "::ffff:172.16.0.0/108", "2001:db8::1", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.5/32"), netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("192.168.1.1/32"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("2001:db8::1/128"), netip.MustParsePrefix("fd00::/8")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, p := range got {
		if !p.Contains(p.Addr()) {
			t.Errorf("%v does not contain its own address", p)
		}
	}
	if got[1].Contains(netip.MustParseAddr("11.0.0.1")) || !got[1].Contains(netip.MustParseAddr("10.200.0.1")) {
		t.Error("10.0.0.0/8 matches the wrong addresses")
	}
	for _, bad := range []string{"", "10.0.0", "10.0.0.1/", "::ffff:1.2.3.4/64", "1.2.3.4:80", "1.2.3.4 5"} {
		if _, err := TrustedProxyPrefixes([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := TrustedProxyPrefixes(nil); err != nil || len(got) != 0 {
		t.Errorf("none: %v %v", got, err)
	}
}
