package daemon

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/fetcher"
	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/sasl"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/partitionlog"
)

// Options configure a Daemon.
type Options struct {
	Config  *config.Broker
	Connect Connector
	Logger  *slog.Logger
	// Metrics, when set, receives the broker's collectors (and is served on
	// kq.metrics.listener if it is also a prometheus.Gatherer); unset, the
	// broker has a registry of its own.
	Metrics prometheus.Registerer
	// ShutdownTimeout bounds the graceful part of shutdown.
	ShutdownTimeout time.Duration
}

// Daemon is one broker.
type Daemon struct {
	opts Options
	cfg  *config.Broker
	log  *slog.Logger
	// interBrokerTLS is the client side of an SSL or SASL_SSL inter-broker
	// listener; nil when brokers talk in plaintext.
	interBrokerTLS *tls.Config
	session        *currentSession
	configs        *configs
	cache          *metadatacache.Cache
	logs           *partitionlog.Manager
	replica        *replica.Manager
	groups         *group.Coordinator
	// txns is the transaction coordinator; txnMarkers and txnSender carry
	// its markers and the produce path's verification to other brokers.
	txns       *txn.Coordinator
	txnMarkers *markerWriter
	txnSender  *sender
	stopTxns   context.CancelFunc
	// stopGroups ends the coordinator's pending offset writes at shutdown.
	stopGroups chan struct{}
	// fetchers replicate the partitions this broker follows.
	fetchers *fetcher.Manager
	handler  *handler.Handler
	// authorizer checks requests against the ACLs; nil allows all.
	authorizer *authz.Authorizer
	server     *server.Server
	sender     *sender
	// controller is the current session's controller, for the handlers.
	controller activeController
	// credentials are the users' SCRAM credentials, from /config/users.
	credentials *sasl.CredentialCache
	// saslListeners are the SASL listeners' settings, by listener name,
	// updated by dynamic broker configs.
	saslListeners map[string]*sasl.Listener
	// interBrokerSASL authenticates this broker's connections to the others
	// on a SASL inter-broker listener; nil otherwise.
	interBrokerSASL []kgo.Opt

	ready chan struct{}
	// fatal stops the broker without a controlled shutdown (every log dir
	// failed).
	fatal chan error
	addrs []net.Addr
	wg    sync.WaitGroup
	// dirFailed carries the log dirs taken offline to reportDirFailures.
	dirFailed chan string
	// stopBackground ends the log manager's background work.
	stopBackground context.CancelFunc
	// stopReplication ends the replica manager's ISR work.
	stopReplication context.CancelFunc
	// obs holds the broker's metrics and their HTTP endpoint.
	obs *observability
	// quotas are the client quotas the handlers enforce (quotas.go).
	quotas *quota.Manager
}

// New validates options; Run does the work.
func New(opts Options) (*Daemon, error) {
	if opts.Config == nil || opts.Connect == nil {
		return nil, errors.New("daemon: Config and Connect are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 30 * time.Second
	}
	log := opts.Logger.With("broker", opts.Config.BrokerID)
	return &Daemon{opts: opts, cfg: opts.Config, log: log, session: &currentSession{}, ready: make(chan struct{}), fatal: make(chan error, 1),
		obs: newObservability(opts.Metrics), credentials: sasl.NewCredentialCache(), saslListeners: map[string]*sasl.Listener{},
		quotas: quota.New(quota.Options{})}, nil
}

// Ready is closed once the broker is registered and serving.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

// MetadataLoaded reports whether a controller has sent this broker metadata
// naming it (call after Ready). Until then it answers from an empty cache,
// as Kafka's broker does: topics look missing and auto-creation finds no
// live broker.
func (d *Daemon) MetadataLoaded() bool {
	_, ok := d.cache.Load().Brokers[d.cfg.BrokerID]
	return ok
}

// Addrs returns the bound listener addresses (after Ready).
func (d *Daemon) Addrs() []net.Addr { return d.addrs }

// Run starts the broker and serves until ctx is done, then shuts down
// gracefully. It returns an error when start-up fails.
func (d *Daemon) Run(ctx context.Context) error {
	if err := d.serveMetrics(); err != nil {
		return err
	}
	if err := d.start(ctx); err != nil {
		d.closeAll()
		return err
	}
	d.log.Info("kq broker started", "listeners", d.addrs, "log.dirs", d.cfg.LogDirs)
	d.publishLive()
	close(d.ready)
	serveErr := make(chan error, 1)
	// The listeners and the controller outlive ctx until controlled
	// shutdown has moved this broker's leaderships away.
	go func() { serveErr <- d.server.Serve(context.WithoutCancel(ctx)) }()
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.runSessions(runCtx)
	}()
	var err error
	select {
	case <-ctx.Done():
		d.controlledShutdown()
	case err = <-serveErr:
	case err = <-d.fatal:
	}
	stop()
	return errors.Join(err, d.shutdown())
}

func (d *Daemon) start(ctx context.Context) error {
	zk, err := d.connect(ctx)
	if err != nil {
		return err
	}
	clusterID, err := zk.ClusterID(ctx)
	if err != nil {
		return fmt.Errorf("cluster id: %w", err)
	}
	if err := d.resolveBrokerID(ctx, zk); err != nil {
		return err
	}
	if d.interBrokerSASL, err = d.interBrokerSASLOpts(); err != nil {
		return err
	}
	if err := d.loadCredentials(ctx, zk); err != nil {
		return err
	}
	d.configs = newConfigs(d.cfg, d.session, d.log)
	if err := d.setUpInterBrokerTLS(); err != nil {
		return err
	}
	d.cache = metadatacache.New(clusterID)
	if err := d.openLogs(clusterID); err != nil {
		return err
	}
	leaderThrottle, followerThrottle := d.newReplicationThrottles()
	d.fetchers = d.newFetchers(followerThrottle)
	d.replica = replica.NewManager(d.cfg.BrokerID, d.logs, d.configs, d.log,
		append(d.replicaOptions(), replica.WithLeadershipHook(d.onLeadership))...)
	d.runReplication()
	d.startGroups()
	producerIDs := kafkazk.NewProducerIDs(d.session.client, d.cfg.BrokerID)
	d.startTxns(producerIDs)
	if d.authorizer, err = d.newAuthorizer(ctx, zk); err != nil {
		return err
	}
	d.handler = handler.New(handler.Deps{
		BrokerID: d.cfg.BrokerID, Settings: d.configs.settings, Cache: d.cache, Replicas: d.replica,
		Admin: d.session, Configs: d.configs, Logger: d.log, Groups: d.groups,
		Txns: d.txns, TxnVerifier: d.newTxnVerifier(),
		Controller:     &d.controller,
		LogDirs:        d.logs,
		ProducerIDs:    producerIDs,
		LegacyOffsets:  d.session,
		Users:          d.session,
		Quotas:         d.quotas,
		LeaderThrottle: leaderThrottle,
		QuotaStore:     d.session,
		Authorizer:     d.authorizer,
		ACLs:           d.session,
	})
	d.txnSender.local = d.handler
	if err := d.listen(); err != nil {
		return err
	}
	d.sender = newSender(d.cfg.BrokerID, d.cfg.InterBrokerListenerName, "kq-controller", d.interBrokerOpts(), d.handler, d.log)
	return d.register(ctx, zk)
}

// connect opens a metadata session and makes it current.
func (d *Daemon) connect(ctx context.Context) (*kafkazk.Client, error) {
	store, err := d.opts.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to metadata store: %w", err)
	}
	zk := kafkazk.New(store, d.log)
	if err := zk.EnsurePaths(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("prepare metadata store: %w", err)
	}
	if old := d.session.zk.Swap(zk); old != nil {
		old.Store().Close()
	}
	return zk, nil
}

// openLogs opens and recovers every log dir, checking meta.properties
// against this broker and cluster.
func (d *Daemon) openLogs(clusterID string) error {
	d.dirFailed = make(chan string, len(d.cfg.LogDirs))
	logs, err := partitionlog.OpenManager(d.cfg.LogDirs, partitionlog.ManagerOptions{
		Logger:                          d.log.With("component", "log"),
		FS:                              logFS(d.log),
		Config:                          func(tp partitionlog.TopicPartition) partitionlog.Config { return d.configs.LogConfig(tp.Topic) },
		RecoveryThreadsPerDataDir:       int(d.cfg.NumRecoveryThreadsPerDataDir),
		RetentionCheckInterval:          millis(d.cfg.LogRetentionCheckIntervalMs),
		FlushCheckInterval:              millis(d.cfg.LogFlushSchedulerIntervalMs),
		CheckpointInterval:              millis(d.cfg.LogFlushOffsetCheckpointIntervalMs),
		HighWatermarkCheckpointInterval: millis(d.cfg.ReplicaHighWatermarkCheckpointIntervalMs),
		Meta:                            &partitionlog.MetaProperties{Version: 0, BrokerID: d.cfg.BrokerID, ClusterID: clusterID},
		Cleaner:                         cleanerOptions(d.cfg),
		// A deleted partition's directory goes after the broker's
		// log.segment.delete.delay.ms, as Kafka's LogManager (0 means at
		// once; the manager reads a zero duration as "unset").
		FileDeleteDelay:                   max(millis(d.cfg.TopicDefaults().FileDeleteDelayMs), time.Nanosecond),
		ProducerIDExpiration:              millis(d.cfg.ProducerIDExpirationMs),
		ProducerIDExpirationCheckInterval: millis(d.cfg.ProducerIDExpirationCheckIntervalMs),
		OnDirOffline:                      d.onDirOffline,
	})
	if err != nil {
		return fmt.Errorf("open log dirs: %w", err)
	}
	d.logs = logs
	bg, cancel := context.WithCancel(context.Background())
	d.stopBackground = cancel
	d.wg.Add(2)
	go func() {
		defer d.wg.Done()
		logs.Run(bg)
	}()
	go func() {
		defer d.wg.Done()
		d.reportDirFailures(bg)
	}()
	return nil
}

// resolveBrokerID replaces broker.id=-1 by the id recorded in the log dirs'
// meta.properties, or by a newly generated one (Kafka's
// broker.id.generation.enable).
func (d *Daemon) resolveBrokerID(ctx context.Context, zk *kafkazk.Client) error {
	if !d.cfg.NeedsGeneratedID() {
		return nil
	}
	for _, dir := range d.cfg.LogDirs {
		mp, ok, err := partitionlog.ReadMetaProperties(dir)
		if err != nil {
			return fmt.Errorf("read meta.properties in %s: %w", dir, err)
		}
		if ok && mp.BrokerID >= 0 {
			d.setBrokerID(mp.BrokerID)
			return nil
		}
	}
	id, err := zk.GenerateBrokerID(ctx, d.cfg.ReservedBrokerMaxID)
	if err != nil {
		return fmt.Errorf("generate broker id: %w", err)
	}
	d.setBrokerID(id)
	return nil
}

func (d *Daemon) setBrokerID(id int32) {
	d.cfg = d.cfg.WithBrokerID(id)
	d.log = d.opts.Logger.With("broker", id)
	d.log.Info("using broker id", "broker.id", id)
}

// millis converts a Kafka milliseconds setting to a duration. Values too
// large for a time.Duration (Kafka's Long.MAX_VALUE defaults, meaning
// "never") become 0, which the components read as "use your default":
// for log.flush.scheduler.interval.ms that is a 1 s check, so a topic's
// flush.ms works without also setting the scheduler interval.
func millis(ms int64) time.Duration {
	if ms <= 0 || ms > int64(math.MaxInt64/time.Millisecond) {
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}
