package daemon

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta"
)

// listen binds every listener so bind errors surface before registration.
func (d *Daemon) listen() error {
	var ls []server.Listener
	for _, l := range d.cfg.Listeners {
		sl, err := d.serverListener(l)
		if err != nil {
			return err
		}
		ls = append(ls, sl)
	}
	srv, err := server.New(server.Config{
		Listeners: ls, MaxRequestSize: int32(d.cfg.SocketRequestMaxBytes), MaxConnections: int(d.cfg.MaxConnections),
		FailedAuthenticationDelay: millis(int64(d.cfg.ConnectionFailedAuthenticationDelayMs)),
		SASLMaxReceiveSize:        d.cfg.SASLServerMaxReceiveSize,
		IdleTimeout:               idleTimeout(d.cfg.ConnectionsMaxIdleMs), QueuedMaxRequests: int(d.cfg.QueuedMaxRequests),
		SendBuffer: int(d.cfg.SocketSendBufferBytes), ReceiveBuffer: int(d.cfg.SocketReceiveBufferBytes),
		Logger: d.log.With("component", "network"), Metrics: d.obs.reg, RequestTimes: d.obs.requests,
	}, d.handler)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	if err := srv.Listen(); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	d.server, d.addrs = srv, srv.Addrs()
	return nil
}

// registration is what this broker publishes: its advertised listeners, with
// a port of 0 replaced by the port actually bound.
func (d *Daemon) registration() kafkazk.Registration {
	r := kafkazk.Registration{ID: d.cfg.BrokerID, SecurityProtocolMap: map[string]string{},
		StaleWait: staleRegistrationWait(d.cfg.ZooKeeperSessionTimeoutMs)}
	if d.cfg.Rack != "" {
		rack := d.cfg.Rack
		r.Rack = &rack
	}
	for name, proto := range d.cfg.ListenerSecurityProtocolMap {
		r.SecurityProtocolMap[name] = proto.String()
	}
	for _, l := range d.cfg.AdvertisedListeners {
		port := l.Port
		if port == 0 {
			port = d.boundPort(l.Name)
		}
		r.Endpoints = append(r.Endpoints, metadatacache.Endpoint{Listener: l.Name, Host: l.Host, Port: port, SecurityProtocol: int16(l.SecurityProtocol)})
	}
	return r
}

func (d *Daemon) boundPort(listener string) int32 {
	for i, l := range d.cfg.Listeners {
		if l.Name == listener && i < len(d.addrs) {
			if a, ok := d.addrs[i].(*net.TCPAddr); ok {
				return int32(a.Port)
			}
		}
	}
	return 0
}

// staleRegistrationWait is how long a restarted broker waits for the
// registration of its crashed predecessor to expire: ZooKeeper expires a
// session within its timeout of the last heartbeat, which came before the
// crash, so the timeout plus a margin for ticks and a slow restart. A live
// broker with the same id is refused after this long.
func staleRegistrationWait(sessionTimeoutMs int64) time.Duration {
	return time.Duration(sessionTimeoutMs)*time.Millisecond + staleRegistrationMargin
}

const staleRegistrationMargin = 5 * time.Second

// register publishes /brokers/ids/<id> and loads dynamic broker configs.
func (d *Daemon) register(ctx context.Context, zk *kafkazk.Client) error {
	if err := d.loadDynamicBrokerConfig(ctx, zk); err != nil {
		d.log.Warn("dynamic broker configs not applied", "err", err)
	}
	if err := zk.RegisterBroker(ctx, d.registration()); err != nil {
		return err
	}
	return nil
}

// runSessions runs the controller candidate and the config watcher on the
// current metadata session and, when the session expires, connects a new
// one, registers again and starts over: nothing believed under the old
// session (controllership) survives it.
func (d *Daemon) runSessions(ctx context.Context) {
	zk := d.session.client()
	for {
		d.runSession(ctx, zk)
		if ctx.Err() != nil {
			return
		}
		d.log.Warn("metadata session expired; reconnecting and registering again")
		d.obs.sessionLost.Store(true)
		zk = d.reconnect(ctx)
		d.obs.sessionLost.Store(false)
		if zk == nil {
			return
		}
	}
}

func (d *Daemon) reconnect(ctx context.Context) *kafkazk.Client {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		zk, err := d.connect(ctx)
		if err == nil {
			if err = d.register(ctx, zk); err == nil {
				return zk
			}
		}
		d.log.Warn("re-registration failed; retrying", "err", err, "backoff", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		backoff = min(backoff*2, 5*time.Second)
	}
	return nil
}

// runSession returns when the session expires or ctx ends.
func (d *Daemon) runSession(ctx context.Context, zk *kafkazk.Client) {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctl := controller.New(controller.Config{
		BrokerID: d.cfg.BrokerID, Store: zk, Sender: d.sender, Logger: d.log,
		UncleanElection:   d.configs.UncleanElection,
		DeleteTopicEnable: func() bool { return d.configs.settings().DeleteTopicEnable },
		Rebalance:         controller.RebalanceConfig{Enable: d.cfg.AutoLeaderRebalanceEnable, Interval: time.Duration(d.cfg.LeaderImbalanceCheckIntervalSeconds) * time.Second, ImbalancePercentage: int(d.cfg.LeaderImbalancePerBrokerPercentage)},
	})
	d.controller.p.Store(ctl)
	defer d.controller.p.CompareAndSwap(ctl, nil)
	done := make(chan struct{}, 3)
	go func() { _ = ctl.Run(sctx); done <- struct{}{} }()
	go func() { d.watchConfigs(sctx, zk); done <- struct{}{} }()
	go func() { d.watchACLs(sctx, zk); done <- struct{}{} }()
	waitExpired(sctx, zk.Store())
	cancel()
	<-done
	<-done
	<-done
}

func waitExpired(ctx context.Context, s meta.Store) {
	for {
		select {
		case ev, ok := <-s.Session():
			if !ok || ev == meta.SessionExpired {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

// shutdown stops everything in the reverse order of start-up.
func (d *Daemon) shutdown() error {
	d.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), d.opts.ShutdownTimeout)
	defer cancel()
	err := d.server.Shutdown(ctx)
	d.closeAll()
	d.log.Info("shut down cleanly")
	return err
}

// closeAll releases whatever start-up opened.
func (d *Daemon) closeAll() {
	d.stopMetrics()
	if d.sender != nil {
		d.sender.close()
	}
	d.closeTxns()
	d.closeGroups()
	if d.fetchers != nil {
		d.fetchers.Close() // before the logs close: no append after
	}
	if d.stopReplication != nil {
		d.stopReplication()
	}
	if zk := d.session.client(); zk != nil {
		zk.Store().Close()
	}
	if d.stopBackground != nil {
		d.stopBackground()
	}
	d.wg.Wait()
	if d.logs != nil {
		if err := d.logs.Close(); err != nil {
			d.log.Error("closing logs", "err", err)
		}
	}
}

// loadDynamicBrokerConfig applies /config/brokers/<default> and
// /config/brokers/<id> over the static configuration.
func (d *Daemon) loadDynamicBrokerConfig(ctx context.Context, zk *kafkazk.Client) error {
	defaults, err := zk.EntityConfig(ctx, "brokers", "<default>")
	if err != nil {
		return err
	}
	perBroker, err := zk.EntityConfig(ctx, "brokers", strconv.Itoa(int(d.cfg.BrokerID)))
	if err != nil {
		return err
	}
	b, warnings, err := d.cfg.WithDynamic(perBroker, defaults)
	if err != nil {
		return err
	}
	logWarnings(d, warnings)
	d.configs.setBroker(b)
	d.updateSASLListeners(b)
	return nil
}

func logWarnings(d *Daemon, ws []config.Warning) {
	for _, w := range ws {
		d.log.Warn("dynamic broker config", "warning", fmt.Sprint(w))
	}
}

// idleTimeout maps connections.max.idle.ms; a negative value never closes
// idle connections.
func idleTimeout(ms int64) time.Duration {
	if ms < 0 {
		return -1
	}
	return millis(ms)
}
