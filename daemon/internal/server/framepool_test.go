package server

import "testing"

func TestFramePoolSizes(t *testing.T) {
	tests := []struct {
		size     int
		wantCap  int
		wantPool bool
	}{
		{size: 0, wantCap: 0},
		{size: minPooledFrame - 1, wantCap: minPooledFrame - 1},
		{size: minPooledFrame, wantCap: minPooledFrame, wantPool: true},
		{size: minPooledFrame + 1, wantCap: 2 * minPooledFrame, wantPool: true},
		{size: 1 << 20, wantCap: 1 << 20, wantPool: true},
		{size: 1<<20 + 1, wantCap: 2 << 20, wantPool: true},
		{size: maxPooledFrame, wantCap: maxPooledFrame, wantPool: true},
		{size: maxPooledFrame + 1, wantCap: maxPooledFrame + 1},
	}
	p := newFramePool()
	for _, tc := range tests {
		fb := p.get(tc.size)
		if len(fb.b) != tc.size || cap(fb.b) != tc.wantCap || (fb.class >= 0) != tc.wantPool {
			t.Errorf("get(%d): len %d cap %d class %d; want cap %d pooled %v", tc.size, len(fb.b), cap(fb.b), fb.class, tc.wantCap, tc.wantPool)
		}
		p.put(fb)
	}
}

// TestFramePoolReusesWithoutAllocating: a frame given back serves the next
// request of its class with no allocation.
func TestFramePoolReusesWithoutAllocating(t *testing.T) {
	p := newFramePool()
	p.put(p.get(100 << 10))
	allocs := testing.AllocsPerRun(100, func() {
		fb := p.get(90 << 10)
		p.put(fb)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per reused frame", allocs)
	}
}
