package metatest

import (
	"testing"

	"github.com/kqhq/kq/store/meta"
)

var helperTests = []test{
	{"CreateRecursive", testCreateRecursive},
	{"EnsurePath", testEnsurePath},
	{"DeleteRecursive", testDeleteRecursive},
}

func testCreateRecursive(t *testing.T, b Backend) {
	s := b.Connect(t)
	ctx := ctxFor(t)
	p, err := meta.CreateRecursive(ctx, s, "/brokers/topics/t/partitions/0/state", []byte("{}"), meta.Persistent)
	if err != nil || p != "/brokers/topics/t/partitions/0/state" {
		t.Fatalf("CreateRecursive = %q, %v", p, err)
	}
	if data, _ := mustGet(t, s, "/brokers/topics/t/partitions/0/state"); string(data) != "{}" {
		t.Fatalf("data = %q", data)
	}
	if data, _ := mustGet(t, s, "/brokers/topics"); len(data) != 0 {
		t.Fatalf("ancestor data = %q", data)
	}
	_, err = meta.CreateRecursive(ctx, s, "/brokers/topics/t/partitions/0/state", nil, meta.Persistent)
	wantErr(t, "CreateRecursive existing", err, meta.ErrNodeExists)
	p, err = meta.CreateRecursive(ctx, s, "/isr_change_notification/isr_change_", nil, meta.PersistentSequential)
	if err != nil || p != "/isr_change_notification/isr_change_0000000000" {
		t.Fatalf("CreateRecursive sequential = %q, %v", p, err)
	}
}

func testEnsurePath(t *testing.T, b Backend) {
	s := b.Connect(t)
	for range 2 {
		if err := meta.EnsurePath(ctxFor(t), s, "/config/changes"); err != nil {
			t.Fatal(err)
		}
	}
	mustExist(t, s, "/config/changes", true)
	wantErr(t, "EnsurePath invalid", meta.EnsurePath(ctxFor(t), s, "config"), meta.ErrInvalidPath)
}

func testDeleteRecursive(t *testing.T, b Backend) {
	s := b.Connect(t)
	for _, p := range []string{"/t/partitions/0/state", "/t/partitions/1/state", "/t2"} {
		if _, err := meta.CreateRecursive(ctxFor(t), s, p, nil, meta.Persistent); err != nil {
			t.Fatal(err)
		}
	}
	if err := meta.DeleteRecursive(ctxFor(t), s, "/t"); err != nil {
		t.Fatal(err)
	}
	mustExist(t, s, "/t", false)
	mustExist(t, s, "/t2", true)
	if err := meta.DeleteRecursive(ctxFor(t), s, "/t"); err != nil {
		t.Fatalf("DeleteRecursive of missing path: %v", err)
	}
}
