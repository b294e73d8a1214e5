package server

import (
	"container/list"
	"sync"
)

// pageCache keeps rendered public pages and API answers of one data
// version, within a byte budget: the least recently used entries leave
// first. Keys are built from validated parameters only (cacheKey), so the
// number of distinct keys is bounded by the territory's vocabulary, and
// the budget bounds the bytes whatever the keys.
type pageCache struct {
	mu      sync.Mutex
	budget  int
	used    int
	version string
	order   *list.List // front: most recently used
	entries map[string]*list.Element
}

type cacheEntry struct {
	key  string
	body encoded
}

// defaultCacheBudget holds about 200 dashboard pages or thousands of
// municipality pages.
const defaultCacheBudget = 64 << 20

func newPageCache(budget int) *pageCache {
	return &pageCache{budget: budget, order: list.New(), entries: map[string]*list.Element{}}
}

func (pc *pageCache) get(version, key string) (encoded, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.version != version {
		return encoded{}, false
	}
	el, ok := pc.entries[key]
	if !ok {
		return encoded{}, false
	}
	pc.order.MoveToFront(el)
	return el.Value.(*cacheEntry).body, true
}

// put keeps body under key. A body larger than the whole budget is not
// kept.
func (pc *pageCache) put(version, key string, body encoded) {
	size := entrySize(key, body)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.version != version {
		pc.version, pc.used = version, 0
		pc.order.Init()
		clear(pc.entries)
	}
	if size > pc.budget {
		return
	}
	if el, ok := pc.entries[key]; ok {
		pc.remove(el)
	}
	for pc.used+size > pc.budget {
		pc.remove(pc.order.Back())
	}
	pc.entries[key] = pc.order.PushFront(&cacheEntry{key: key, body: body})
	pc.used += size
}

func (pc *pageCache) remove(el *list.Element) {
	e := pc.order.Remove(el).(*cacheEntry)
	delete(pc.entries, e.key)
	pc.used -= entrySize(e.key, e.body)
}

// stats returns the number of entries and the bytes they hold.
func (pc *pageCache) stats() (int, int) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return len(pc.entries), pc.used
}

func entrySize(key string, body encoded) int { return len(key) + body.size() + 64 }
