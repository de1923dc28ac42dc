package sasl

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	ksasl "github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// franzSCRAM adapts franz-go's SCRAM client to sarama's SCRAMClient, so
// sarama needs no SCRAM library of its own here.
type franzSCRAM struct {
	sha512 bool
	sess   ksasl.Session
	first  []byte
	done   bool
}

func (c *franzSCRAM) Begin(user, pass, _ string) error {
	auth := scram.Auth{User: user, Pass: pass}
	mech := auth.AsSha256Mechanism()
	if c.sha512 {
		mech = auth.AsSha512Mechanism()
	}
	var err error
	c.sess, c.first, err = mech.Authenticate(context.Background(), "")
	return err
}

func (c *franzSCRAM) Step(challenge string) (string, error) {
	if c.first != nil {
		first := c.first
		c.first = nil
		return string(first), nil
	}
	done, out, err := c.sess.Challenge([]byte(challenge))
	c.done = done
	return string(out), err
}

func (c *franzSCRAM) Done() bool { return c.done }

func saramaSCRAMConfig(user, pass string) *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V3_6_0_0
	cfg.ClientID = "kq-sasl"
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Net.SASL.Enable = true
	cfg.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512
	cfg.Net.SASL.User, cfg.Net.SASL.Password = user, pass
	cfg.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return &franzSCRAM{sha512: true} }
	cfg.Metadata.Retry.Max = 1
	cfg.Metadata.Retry.Backoff = 50 * time.Millisecond
	return cfg
}

// TestSarama: sarama produces and consumes with SCRAM-SHA-512; a wrong
// password is refused before anything is written.
func TestSarama(t *testing.T) {
	b := startSASLBroker(t, nil)
	addScramUser(t, b.Addr, "alice", aliceSecret)
	const topic = "sarama-scram"
	cfg := saramaSCRAMConfig("alice", aliceSecret)
	prod, err := sarama.NewSyncProducer([]string{b.SASLAddr}, cfg)
	if err != nil {
		t.Fatalf("producer: %v", err)
	}
	for i := range 3 {
		if _, _, err := prod.SendMessage(&sarama.ProducerMessage{Topic: topic, Value: sarama.StringEncoder(fmt.Sprint(i))}); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	if err := prod.Close(); err != nil {
		t.Fatal(err)
	}
	cons, err := sarama.NewConsumer([]string{b.SASLAddr}, cfg)
	if err != nil {
		t.Fatalf("consumer: %v", err)
	}
	defer cons.Close()
	pc, err := cons.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for i := range 3 {
		select {
		case m := <-pc.Messages():
			if string(m.Value) != fmt.Sprint(i) {
				t.Fatalf("message %d: %q", i, m.Value)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("message %d not consumed", i)
		}
	}

	_, err = sarama.NewSyncProducer([]string{b.SASLAddr}, saramaSCRAMConfig("alice", "wrong"))
	if err == nil || !strings.Contains(err.Error(), "SASL") {
		t.Fatalf("wrong password: %v", err)
	}
	if got := endOffset(t, b.Broker, topic); got != 3 {
		t.Fatalf("end offset %d, want 3", got)
	}
}
