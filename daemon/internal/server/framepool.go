package server

import (
	"math/bits"
	"sync"
)

// Request frames between these sizes are taken from a pool, in power-of-two
// classes: a producer's requests (tens of KiB to a few MiB) then reuse the
// memory of earlier ones instead of allocating their size again, which at
// hundreds of MB/s of produce would drive the garbage collector. Smaller
// frames are allocated exactly; larger ones are rare enough to allocate.
const (
	minPooledFrame = 4 << 10
	maxPooledFrame = 16 << 20
)

var frameClasses = bits.Len(maxPooledFrame-1) - bits.Len(minPooledFrame-1) + 1

// framePool hands out request frames; a frame comes back only when the
// Handler declared its request done with (Response.FrameDone).
type framePool struct {
	classes []sync.Pool // of *frameBuf, class i holding minPooledFrame<<i bytes
}

// frameBuf is a pooled frame; the pointer travels with the request so that
// returning it allocates nothing.
type frameBuf struct {
	b     []byte
	class int // -1: not pooled
}

func newFramePool() *framePool {
	return &framePool{classes: make([]sync.Pool, frameClasses)}
}

// get returns a frame of exactly size bytes, its contents undefined.
func (p *framePool) get(size int) *frameBuf {
	if size < minPooledFrame || size > maxPooledFrame {
		return &frameBuf{b: make([]byte, size), class: -1}
	}
	class := bits.Len(uint(size-1)) - bits.Len(minPooledFrame-1)
	if fb, ok := p.classes[class].Get().(*frameBuf); ok {
		fb.b = fb.b[:size]
		return fb
	}
	return &frameBuf{b: make([]byte, size, minPooledFrame<<class), class: class}
}

// put returns a frame nothing refers to any more.
func (p *framePool) put(fb *frameBuf) {
	if fb == nil || fb.class < 0 {
		return
	}
	p.classes[fb.class].Put(fb)
}
