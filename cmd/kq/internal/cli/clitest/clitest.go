// Package clitest builds a Factory over an in-memory cluster, so command
// tests run argv -> options and run -> stdout without a broker.
package clitest

import (
	"bytes"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Env is a test invocation: the factory and what it wrote.
type Env struct {
	Factory *factory.Factory
	Cluster *admintest.Cluster
	In      *bytes.Buffer
	Out     *bytes.Buffer
	ErrOut  *bytes.Buffer
	Opts    *factory.Options
	// Properties are the client properties ClientConfig reports, as if
	// given with -X.
	Properties map[string]string
	// Producers and Consumers built through the factory, in order.
	Producers []*admintest.Producer
	Consumers []*admintest.Consumer
}

// Now is the fixed clock of test factories.
var Now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// New returns a factory whose clients all talk to cluster.
func New(cluster *admintest.Cluster) *Env {
	ios, in, out, errOut := iostreams.Test()
	env := &Env{Cluster: cluster, In: in, Out: out, ErrOut: errOut,
		Opts: &factory.Options{Output: output.Table}}
	f := &factory.Factory{
		IOStreams: ios,
		Getenv:    func(string) string { return "" },
		Now:       func() time.Time { return Now },
	}
	f.Options = func() (*factory.Options, error) { return env.Opts, nil }
	// The properties go through the real merge and checks, as -X would.
	f.ClientConfig = func() (admin.ClientConfig, error) {
		opts := factory.Options{BootstrapServer: "fake:9092", Overrides: env.Properties}
		return factory.BuildClientConfig(&opts, f.ClientUse(), errOut)
	}
	f.Admin = func() (factory.Admin, error) { return cluster, nil }
	f.NewProducer = func(pc admin.ProducerConfig) (factory.Producer, error) {
		p := cluster.NewProducer(pc)
		env.Producers = append(env.Producers, p)
		return p, nil
	}
	f.NewConsumer = func(cc admin.ConsumerConfig) (factory.Consumer, error) {
		c := cluster.NewConsumer(cc)
		env.Consumers = append(env.Consumers, c)
		return c, nil
	}
	env.Factory = f
	return env
}
