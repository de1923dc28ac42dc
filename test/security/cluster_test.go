package security

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// TestSSLOnlyClusterReplicates runs three brokers on real ZooKeeper whose
// only listener is SSL with mutual TLS required: the controller's requests,
// the replica fetchers and the clients all go through TLS with certificates.
func TestSSLOnlyClusterReplicates(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq-ssl")
	p := newPKI(t)
	var brokers []*harness.Broker
	var addrs []string
	for id := int32(1); id <= 3; id++ {
		port := harness.FreePort(t)
		props := p.brokerStores(t, id)
		props["listeners"] = fmt.Sprintf("SSL://127.0.0.1:%d", port)
		props["security.inter.broker.protocol"] = "SSL"
		props["ssl.client.auth"] = "required"
		props["replica.lag.time.max.ms"] = "10000"
		b := harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect, Port: port, Props: props,
			ClientOpts: []kgo.Opt{p.clientTLS(t, true)}})
		brokers = append(brokers, b)
		addrs = append(addrs, b.Addr)
	}
	cl := brokers[0].Client(kgo.SeedBrokers(addrs...), kgo.DefaultProduceTopic("replicated"), kgo.RequiredAcks(kgo.AllISRAcks()))
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	harness.Eventually(t, 30*time.Second, "three brokers registered", func() error {
		md, err := adm.BrokerMetadata(ctx)
		if err != nil || len(md.Brokers) != 3 {
			return fmt.Errorf("brokers %v, err %v", md.Brokers, err)
		}
		return nil
	})
	r, err := adm.CreateTopic(ctx, 3, 3, map[string]*string{"min.insync.replicas": ptr("3")}, "replicated")
	if err != nil || r.Err != nil {
		t.Fatalf("create topic: %v %v", err, r.Err)
	}
	harness.Eventually(t, 30*time.Second, "every partition led with a full ISR", func() error { return fullISR(ctx, adm, "replicated", 3) })
	// min.insync.replicas=3 with acks=all: each write is acknowledged only
	// once both followers fetched it over TLS.
	for i := range 300 {
		if err := cl.ProduceSync(ctx, kgo.StringRecord(fmt.Sprint(i))).FirstErr(); err != nil {
			t.Fatalf("produce %d with acks=all: %v", i, err)
		}
	}
	if err := fullISR(ctx, adm, "replicated", 3); err != nil {
		t.Fatalf("after producing: %v", err)
	}
	consumer := brokers[2].Client(kgo.SeedBrokers(addrs...), kgo.ConsumeTopics("replicated"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	seen := 0
	for seen < 300 {
		fs := consumer.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("consume after %d: %v", seen, err)
		}
		seen += fs.NumRecords()
	}
	for _, b := range brokers {
		checkNoSecrets(t, b.Logs())
	}
}

func fullISR(ctx context.Context, adm *kadm.Client, topic string, n int) error {
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

func ptr(s string) *string { return &s }
