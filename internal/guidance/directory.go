package guidance

import (
	"sync/atomic"

	"github.com/ses-mg/telemonitor/internal/settings"
)

// directory holds the programme settings every page, export and notice
// takes its contacts and links from. Until Use is called (app.Open does,
// and again after an admin saves), the published defaults apply.
var directory atomic.Pointer[settings.Settings]

// Use makes s the settings advice is given with.
func Use(s settings.Settings) {
	s = s.Normalise()
	directory.Store(&s)
}

// Current returns the settings in use.
func Current() settings.Settings {
	if s := directory.Load(); s != nil {
		return *s
	}
	return settings.Defaults()
}
