package cluster

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// A deleted topic's partition directories are renamed "-delete" and
// removed after the broker's log.segment.delete.delay.ms (60 s by default;
// here 0: at once), not held until a restart.
func TestDeletedTopicDirectoriesGoAfterTheDelay(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{Props: map[string]string{"log.segment.delete.delay.ms": "0"}})
	adm := b.Admin()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := adm.CreateTopic(ctx, 2, 1, nil, "doomed"); err != nil {
		t.Fatal(err)
	}
	partitionDirs := func() ([]string, error) {
		return filepath.Glob(filepath.Join(b.DataDir, "*", "doomed-*"))
	}
	harness.Eventually(t, 20*time.Second, "doomed's partition directories", func() error {
		dirs, err := partitionDirs()
		if err != nil || len(dirs) != 2 {
			return fmt.Errorf("dirs %v err %v", dirs, err)
		}
		return nil
	})
	if _, err := adm.DeleteTopic(ctx, "doomed"); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 10*time.Second, "doomed's directories removed", func() error {
		dirs, err := partitionDirs()
		if err != nil || len(dirs) != 0 {
			return fmt.Errorf("still there: %v err %v", dirs, err)
		}
		return nil
	})
	if b.Exited() {
		t.Fatalf("broker exited:\n%s", b.Logs())
	}
}
