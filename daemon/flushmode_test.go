package daemon

import (
	"testing"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/partitionlog"
)

func TestLogConfigCarriesFlushMode(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  partitionlog.FlushMode
	}{
		{"pagecache", partitionlog.FlushPageCache},
		{"group-commit", partitionlog.FlushGroupCommit},
	} {
		if got := logConfig(config.TopicConfig{FlushMode: tt.value}).FlushMode; got != tt.want {
			t.Errorf("flush.mode=%s gives %v, want %v", tt.value, got, tt.want)
		}
	}
}
