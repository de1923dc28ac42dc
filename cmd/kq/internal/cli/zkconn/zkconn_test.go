package zkconn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

func TestOptions(t *testing.T) {
	write := func(text string) string {
		path := filepath.Join(t.TempDir(), "zk.properties")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name     string
		file     string
		wantOpts int
		wantErr  string // a usage error holding this; "" for none
		wantWarn string
	}{
		{"no file", "", 0, "", ""},
		{"missing file", filepath.Join(t.TempDir(), "absent.properties"), 0, "--zk-tls-config-file", ""},
		{"TLS off, other keys ignored", write("zookeeper.ssl.client.enable=false\nsecurity.protocol=SSL\n"), 0, "", "security.protocol is not a ZooKeeper client setting"},
		{"digest login", write("kq.zookeeper.digest.credentials=kq:secret-77\n"), 1, "", ""},
		{"set.acl without credentials", write("zookeeper.set.acl=true\n"), 0, "kq.zookeeper.digest.credentials", ""},
		{"malformed credentials", write("kq.zookeeper.digest.credentials=no-colon-secret\n"), 0, "user:password", ""},
		{"TLS without a trust store that exists", write("zookeeper.ssl.client.enable=true\nzookeeper.ssl.truststore.location=/nonexistent/ca.pem\n"), 0, "--zk-tls-config-file", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn bytes.Buffer
			opts, err := options("127.0.0.1:2181/kq", tt.file, &warn)
			if tt.wantErr != "" {
				if clierr.Code(err) != clierr.CodeUsage || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v (exit %d), want a usage error with %q", err, clierr.Code(err), tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil || len(opts) != tt.wantOpts {
				t.Fatalf("%d options, %v; want %d", len(opts), err, tt.wantOpts)
			}
			if !strings.Contains(warn.String(), tt.wantWarn) {
				t.Fatalf("warnings %q, want %q", warn.String(), tt.wantWarn)
			}
		})
	}
}
