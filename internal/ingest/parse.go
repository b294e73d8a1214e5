package ingest

import (
	"context"
	"runtime"
	"sync"
)

// prepareAll prepares the files of a set (checksum, "imported before?",
// parse) on all processors: files are independent until they apply. It
// returns, for each file, what there is to apply (nil: unchanged or
// failed), with reps filled in file order. Progress is told about one
// file at a time (the first one being read, until it is done), from one
// goroutine at a time.
func (s *Service) prepareAll(ctx context.Context, files []File, opt Options, reps []Report) ([]*pending, error) {
	var mu sync.Mutex
	var shown string // the file whose progress is being told
	finished := func(string) {}
	if report := opt.Progress; report != nil {
		opt.Progress = func(file string, rows int) {
			mu.Lock()
			defer mu.Unlock()
			if shown == "" {
				shown = file
			}
			if shown == file {
				report(file, rows)
			}
		}
		finished = func(file string) {
			mu.Lock()
			defer mu.Unlock()
			if shown == file {
				shown = ""
			}
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
				finished(files[i].Name)
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
