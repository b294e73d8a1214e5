package ingest

import (
	"context"
	"runtime"
	"sync"
)

// prepareAll prepares the files of a set (checksum, "imported before?",
// parse) on all processors: files are independent until they apply. It
// returns, for each file, what there is to apply (nil: unchanged or
// failed), with reps filled in file order. Progress calls are serialised.
func (s *Service) prepareAll(ctx context.Context, files []File, opt Options, reps []Report) ([]*pending, error) {
	if opt.Progress != nil {
		var mu sync.Mutex
		report := opt.Progress
		opt.Progress = func(file string, rows int) {
			mu.Lock()
			defer mu.Unlock()
			report(file, rows)
		}
	}
	out := make([]*pending, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = s.prepare(ctx, files[i], opt, &reps[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
