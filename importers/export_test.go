package importers

import "github.com/ses-mg/telemonitor/importers/common"

// SwapDetectionOrder makes detection try only imps, for a test, and
// returns a function that restores the order it replaced.
func SwapDetectionOrder(imps ...*common.Importer) (restore func()) {
	saved := detectionOrder
	detectionOrder = imps
	return func() { detectionOrder = saved }
}
