// Package compat proves kq works with Kafka clients nobody here wrote:
// franz-go (kgo, kadm) and kcat (librdkafka), against a real kq server.
package compat

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
