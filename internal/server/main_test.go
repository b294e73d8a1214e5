package server

import (
	"os"
	"testing"
)

// TestMain stops what the package's tests share: the Chromium of the
// browser tests and the demo database.
//
// Tests over a database of their own, or over the demo database from
// client addresses of their own, run in parallel (t.Parallel); those that
// change what the whole process uses (the settings in force, which pages
// read through guidance, store.MinFreeBytes, app.MailTLS) stay sequential,
// and so run before the parallel ones start.
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
