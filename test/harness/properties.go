package harness

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// WriteProperties writes props as a Java properties file in a temporary
// directory of t and returns its path: for --command-config,
// --zk-tls-config-file and the other flags that name such a file.
func WriteProperties(t testing.TB, props map[string]string) string {
	t.Helper()
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(props)) {
		b.WriteString(k + "=" + strings.ReplaceAll(props[k], `\`, `\\`) + "\n")
	}
	path := filepath.Join(t.TempDir(), "client.properties")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
