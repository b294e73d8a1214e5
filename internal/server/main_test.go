package server

import (
	"os"
	"testing"
)

// TestMain stops what the package's tests share: the Chromium of the
// browser tests and the demo database.
func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	if demoApp != nil {
		demoApp.Close()
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}
