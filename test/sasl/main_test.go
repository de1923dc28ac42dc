// Package sasl proves kq's SASL authentication against real clients
// (kcat/librdkafka, franz-go, sarama) and real servers: SCRAM-SHA-256/512,
// PLAIN and OAUTHBEARER on SASL_PLAINTEXT listeners, credentials managed
// with kq configs (through the brokers and through ZooKeeper), bad input
// on the wire, and brokers replicating over a SASL listener.
package sasl

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
