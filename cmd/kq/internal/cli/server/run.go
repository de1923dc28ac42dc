package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/daemon"
	"github.com/kqhq/kq/daemon/config"
)

// run starts the configured brokers and blocks until ctx ends (SIGINT or
// SIGTERM), then waits for their graceful shutdown.
func run(ctx context.Context, f *factory.Factory, opts *Options) error {
	log, err := newLogger(f.IOStreams.ErrOut, opts.LogLevel, opts.LogFormat)
	if err != nil {
		return err
	}
	props, err := gatherProps(opts, f.Getenv)
	if err != nil {
		return err
	}
	base, err := parseConfig(log, props)
	if err != nil {
		return err
	}
	cfgs, err := brokerConfigs(log, base, props, opts.Brokers)
	if err != nil {
		return err
	}
	meta, err := openMetadata(ctx, base, log)
	if err != nil {
		return err
	}
	defer meta.close()
	if opts.DebugAddr != "" {
		if _, err := serveDebug(ctx, opts.DebugAddr, log); err != nil {
			return err
		}
	}
	return runBrokers(ctx, cfgs, meta.connect, log, func() error { return signalReady(f.Getenv) })
}

// parseConfig validates the merged keys and reports unknown ones.
func parseConfig(log *slog.Logger, props map[string]string) (*config.Broker, error) {
	cfg, warnings, err := config.Parse(props)
	for _, w := range warnings {
		log.Warn(fmt.Sprint(w))
	}
	if err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	return cfg, nil
}

// brokerConfigs returns one config per broker to run. Several brokers get
// ids 1..n, ports offset from the configured ones, and their own log dirs.
func brokerConfigs(log *slog.Logger, base *config.Broker, props map[string]string, n int) ([]*config.Broker, error) {
	if n == 1 {
		return []*config.Broker{base}, nil
	}
	var out []*config.Broker
	for i := 1; i <= n; i++ {
		p := localClusterProps(base, props, i)
		cfg, err := parseConfig(log.With("broker", i), p)
		if err != nil {
			return nil, fmt.Errorf("broker %d: %w", i, err)
		}
		out = append(out, cfg)
	}
	return out, nil
}

func localClusterProps(base *config.Broker, props map[string]string, i int) map[string]string {
	p := make(map[string]string, len(props)+3)
	for k, v := range props {
		p[k] = v
	}
	delete(p, "log.dir")
	p["broker.id"] = fmt.Sprint(i)
	p["listeners"] = shiftPorts(base.Listeners, i-1)
	if _, set := props["advertised.listeners"]; set {
		p["advertised.listeners"] = shiftPorts(base.AdvertisedListeners, i-1)
	}
	var dirs []string
	for _, d := range base.LogDirs {
		dirs = append(dirs, filepath.Join(d, fmt.Sprintf("broker-%d", i)))
	}
	p["log.dirs"] = strings.Join(dirs, ",")
	if base.MetricsListener != "" {
		p["kq.metrics.listener"] = shiftPort(base.MetricsListener, i-1)
	}
	return p
}

// shiftPort adds by to the port of host:port, as the brokers of a local
// cluster get consecutive ports; port 0 (any free port) stays 0.
func shiftPort(hostPort string, by int) string {
	host, port, err := net.SplitHostPort(hostPort)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n == 0 {
		return hostPort // validated by config.Parse; 0 picks a free port
	}
	return net.JoinHostPort(host, strconv.Itoa(n+by))
}

func shiftPorts(ls []config.Listener, by int) string {
	parts := make([]string, 0, len(ls))
	for _, l := range ls {
		if l.Port != 0 {
			l.Port += int32(by)
		}
		parts = append(parts, l.String())
	}
	return strings.Join(parts, ",")
}

// runBrokers runs every broker until ctx ends, calling ready once all of them
// serve. If one fails to start, the others are stopped and the error returned.
func runBrokers(ctx context.Context, cfgs []*config.Broker, connect daemon.Connector, log *slog.Logger, ready func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	var daemons []*daemon.Daemon
	for i, cfg := range cfgs {
		d, err := daemon.New(daemon.Options{Config: cfg, Connect: connect, Logger: log})
		if err != nil {
			return err
		}
		daemons = append(daemons, d)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = d.Run(ctx); errs[i] != nil {
				cancel()
			}
		}()
	}
	go reportReady(ctx, daemons, ready, log)
	wg.Wait()
	return errors.Join(errs...)
}

// reportReady calls ready once every daemon serves and has the cluster's
// metadata (so a script that detached the broker can use it at once),
// unless ctx ends first. A broker whose metadata does not come within
// metadataWait is reported ready anyway, with a warning: it serves.
func reportReady(ctx context.Context, daemons []*daemon.Daemon, ready func() error, log *slog.Logger) {
	for _, d := range daemons {
		select {
		case <-d.Ready():
		case <-ctx.Done():
			return
		}
	}
	if !waitMetadata(ctx, daemons, metadataWait) {
		if ctx.Err() != nil {
			return
		}
		log.Warn("no metadata from a controller yet; reporting the brokers ready anyway", "waited", metadataWait)
	}
	if err := ready(); err != nil {
		log.Warn("could not report readiness to the parent process", "err", err)
	}
}

// metadataWait bounds how long readiness waits for the controller's metadata.
const metadataWait = 30 * time.Second

// waitMetadata polls until every daemon's metadata names it, or d passes.
func waitMetadata(ctx context.Context, daemons []*daemon.Daemon, d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		loaded := true
		for _, dm := range daemons {
			loaded = loaded && dm.MetadataLoaded()
		}
		if loaded {
			return true
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, clierr.Usagef("--log-level %q: want debug, info, warn or error", level)
	}
	hopts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	default:
		return nil, clierr.Usagef("--log-format %q: want text or json", format)
	}
}

// sessionTimeout is zookeeper.session.timeout.ms as a duration.
func sessionTimeout(cfg *config.Broker) time.Duration {
	return time.Duration(cfg.ZooKeeperSessionTimeoutMs) * time.Millisecond
}
