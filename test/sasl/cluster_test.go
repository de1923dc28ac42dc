package sasl

import (
	"context"
	"crypto/tls"
	"crypto/x509/pkix"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/keystore/keystoretest"
	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// TestSASLSSLOnlyCluster: three brokers on real ZooKeeper whose only
// listener is SASL_SSL, inter-broker traffic included (PLAIN with the
// brokers' own JAAS credentials over TLS). acks=all writes at
// min.insync.replicas=2 are replicated, a consumer group reads and commits
// them, a leader is killed, and writes and the group carry on with the
// survivors; nothing acknowledged is missing.
func TestSASLSSLOnlyCluster(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq-sasl-ssl")
	dir := t.TempDir()
	ca := keystoretest.NewCA(t, "kq sasl cluster CA")
	caFile := ca.WriteTrustPEM(t, dir)
	client := []kgo.Opt{kgo.DialTLSConfig(&tls.Config{RootCAs: ca.Pool()}), kgo.SASL(plainMech("admin", adminSecret))}
	brokers := map[int32]*harness.Broker{}
	var addrs []string
	for id := int32(1); id <= 3; id++ {
		leaf := ca.Issue(t, pkix.Name{CommonName: fmt.Sprintf("broker%d", id)}, "127.0.0.1", "localhost")
		port := harness.FreePort(t)
		props := map[string]string{
			"listeners":                                     fmt.Sprintf("SASL_SSL://127.0.0.1:%d", port),
			"security.inter.broker.protocol":                "SASL_SSL",
			"ssl.keystore.type":                             "PEM",
			"ssl.keystore.location":                         leaf.WriteKeyStorePEM(t, filepath.Join(dir, fmt.Sprintf("broker%d.pem", id))),
			"ssl.truststore.type":                           "PEM",
			"ssl.truststore.location":                       caFile,
			"sasl.enabled.mechanisms":                       "PLAIN",
			"sasl.mechanism.inter.broker.protocol":          "PLAIN",
			"listener.name.sasl_ssl.plain.sasl.jaas.config": plainJAAS,
			"replica.lag.time.max.ms":                       "10000",
		}
		b := harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect, Port: port, Props: props, ClientOpts: client})
		brokers[id] = b
		addrs = append(addrs, b.Addr)
		t.Cleanup(func() { checkNoSecrets(t, b.Logs()) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prod := brokers[1].Client(kgo.SeedBrokers(addrs...), kgo.DefaultProduceTopic("sasl-replicated"),
		kgo.RequiredAcks(kgo.AllISRAcks()))
	adm := kadm.NewClient(prod)
	harness.Eventually(t, 30*time.Second, "three brokers registered", func() error {
		md, err := adm.BrokerMetadata(ctx)
		if err != nil || len(md.Brokers) != 3 {
			return fmt.Errorf("brokers %v, err %v", md.Brokers, err)
		}
		return nil
	})
	two := "2"
	if r, err := adm.CreateTopic(ctx, 3, 3, map[string]*string{"min.insync.replicas": &two}, "sasl-replicated"); err != nil || r.Err != nil {
		t.Fatalf("create topic: %v %v", err, r.Err)
	}
	harness.Eventually(t, 30*time.Second, "a full ISR everywhere", func() error { return isrOfSize(ctx, adm, "sasl-replicated", 3) })
	produceN(ctx, t, prod, 0, 300)

	group := brokers[3].Client(kgo.SeedBrokers(addrs...), kgo.ConsumeTopics("sasl-replicated"),
		kgo.ConsumerGroup("sasl-group"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	readN(ctx, t, group, 300)

	md, err := adm.Metadata(ctx, "sasl-replicated")
	if err != nil {
		t.Fatal(err)
	}
	victim := md.Topics["sasl-replicated"].Partitions[0].Leader
	brokers[victim].Kill()
	produceN(ctx, t, prod, 300, 100)
	readN(ctx, t, group, 100)
}

func produceN(ctx context.Context, t *testing.T, cl *kgo.Client, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := cl.ProduceSync(ctx, kgo.StringRecord(fmt.Sprint(i))).FirstErr(); err != nil {
			t.Fatalf("produce %d with acks=all: %v", i, err)
		}
	}
}

// readN polls the group consumer until it read n more records, committing
// what it read.
func readN(ctx context.Context, t *testing.T, cl *kgo.Client, n int) {
	t.Helper()
	for seen := 0; seen < n; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("consume after %d of %d: %v", seen, n, err)
		}
		seen += fs.NumRecords()
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
}

func isrOfSize(ctx context.Context, adm *kadm.Client, topic string, n int) error {
	md, err := adm.Metadata(ctx, topic)
	if err != nil {
		return err
	}
	parts := md.Topics[topic].Partitions
	if len(parts) == 0 {
		return fmt.Errorf("no partitions yet")
	}
	for _, p := range parts {
		if p.Leader < 0 || len(p.ISR) != n {
			return fmt.Errorf("partition %d: leader %d, ISR %v", p.Partition, p.Leader, p.ISR)
		}
	}
	return nil
}
