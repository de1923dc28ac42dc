package kafkazk

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// ErrBrokerIDInUse: /brokers/ids/<id> is held by a live broker.
var ErrBrokerIDInUse = errors.New("broker id already registered by a live broker")

// ClusterID returns the cluster id, creating /cluster/id on first use.
func (c *Client) ClusterID(ctx context.Context) (string, error) {
	data, _, err := c.store.Get(ctx, clusterIDPath)
	if isNoNode(err) {
		id := newClusterID()
		_, err = meta.CreateRecursive(ctx, c.store, clusterIDPath, znode.ClusterID{ID: id}.Encode(), meta.Persistent)
		if err == nil {
			return id, nil
		}
		if !isExists(err) {
			return "", fmt.Errorf("create %s: %w", clusterIDPath, err)
		}
		data, _, err = c.store.Get(ctx, clusterIDPath)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", clusterIDPath, err)
	}
	v, err := znode.DecodeClusterID(clusterIDPath, data)
	if err != nil {
		return "", err
	}
	return v.ID, nil
}

// newClusterID is a random UUID in Kafka's 22-character base64url form.
func newClusterID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Registration is what a broker publishes about itself.
type Registration struct {
	ID                  int32
	Rack                *string
	Endpoints           []metadatacache.Endpoint
	SecurityProtocolMap map[string]string // listener name -> security protocol
	// StaleWait is how long RegisterBroker waits for a registration held by
	// another session (a crashed predecessor's) to expire.
	StaleWait time.Duration
}

// RegisterBroker creates the broker's ephemeral /brokers/ids/<id>. When the
// node is held by another session, as after a crash and a quick restart
// (the dead process's session lives until ZooKeeper expires it), it waits
// up to r.StaleWait for that node to go, logging what it waits for, and
// refuses with ErrBrokerIDInUse only if it is still held after that: Kafka
// refuses at once, which makes a supervisor's immediate restart fail.
func (c *Client) RegisterBroker(ctx context.Context, r Registration) error {
	path, data := brokerPath(r.ID), r.encode()
	deadline := time.Now().Add(r.StaleWait)
	logged := false
	for {
		_, err := meta.CreateRecursive(ctx, c.store, path, data, meta.Ephemeral)
		if err == nil {
			return nil
		}
		if !isExists(err) {
			return fmt.Errorf("register broker %d: %w", r.ID, err)
		}
		stat, exists, gone, err := c.store.ExistsW(ctx, path)
		switch {
		case err != nil:
			return fmt.Errorf("register broker %d: %w", r.ID, err)
		case !exists:
			continue
		case stat.EphemeralOwner == c.store.SessionID():
			return nil // our own create, whose answer was lost on the way
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return fmt.Errorf("%w: %s is held by live session 0x%x; another broker with broker.id=%d is running",
				ErrBrokerIDInUse, path, stat.EphemeralOwner, r.ID)
		}
		if !logged {
			c.log.Warn("broker id registered by another session, as after a crash: waiting for it to expire",
				"path", path, "session", fmt.Sprintf("0x%x", stat.EphemeralOwner), "up_to", wait.Round(time.Second))
			logged = true
		}
		if err := waitEvent(ctx, gone, wait); err != nil {
			return fmt.Errorf("register broker %d: %w", r.ID, err)
		}
	}
}

// waitEvent waits for a watch to fire, at most d; ctx ending is an error.
func waitEvent(ctx context.Context, ch <-chan meta.Event, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ch:
		return nil
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r Registration) encode() []byte {
	v := znode.BrokerRegistration{ID: r.ID, JMXPort: -1, Timestamp: time.Now().UnixMilli()}
	if r.Rack != nil {
		v.Rack = *r.Rack
	}
	for _, e := range r.Endpoints {
		proto := r.SecurityProtocolMap[e.Listener]
		if proto == "" {
			proto = e.Listener
		}
		v.Endpoints = append(v.Endpoints, znode.Endpoint{Listener: e.Listener, SecurityProtocol: proto, Host: e.Host, Port: e.Port})
	}
	return v.Encode()
}

// LiveBrokers reads /brokers/ids and watches it. Malformed registrations
// are logged and skipped.
func (c *Client) LiveBrokers(ctx context.Context) (map[int32]metadatacache.Broker, <-chan struct{}, error) {
	ids, _, ch, err := c.store.ChildrenW(ctx, brokerIDsPath)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", brokerIDsPath, err)
	}
	out := make(map[int32]metadatacache.Broker, len(ids))
	for _, name := range ids {
		b, err := c.broker(ctx, name)
		if isNoNode(err) {
			continue // gone between the listing and the read
		}
		if err != nil {
			c.log.Warn("skipping broker registration", "path", brokerIDsPath+"/"+name, "err", err)
			continue
		}
		out[b.ID] = b
	}
	return out, fired(ch), nil
}

func (c *Client) broker(ctx context.Context, name string) (metadatacache.Broker, error) {
	id, err := strconv.ParseInt(name, 10, 32)
	if err != nil {
		return metadatacache.Broker{}, fmt.Errorf("broker id %q is not a number", name)
	}
	path := brokerIDsPath + "/" + name
	data, _, err := c.store.Get(ctx, path)
	if err != nil {
		return metadatacache.Broker{}, err
	}
	v, err := znode.DecodeBrokerRegistration(path, data)
	if err != nil {
		return metadatacache.Broker{}, err
	}
	b := metadatacache.Broker{ID: int32(id)}
	if v.Rack != "" {
		rack := v.Rack
		b.Rack = &rack
	}
	for _, e := range v.Endpoints {
		b.Endpoints = append(b.Endpoints, metadatacache.Endpoint{
			Listener: e.Listener, Host: e.Host, Port: e.Port, SecurityProtocol: securityProtocols[e.SecurityProtocol],
		})
	}
	return b, nil
}

// GenerateBrokerID returns a new broker id above reservedMax, as Kafka does
// for broker.id=-1: each write of /brokers/seqid bumps its version, and the
// version after the write, plus reservedMax, is the id.
func (c *Client) GenerateBrokerID(ctx context.Context, reservedMax int32) (int32, error) {
	if err := meta.EnsurePath(ctx, c.store, brokerSeqIDPath); err != nil {
		return -1, fmt.Errorf("create %s: %w", brokerSeqIDPath, err)
	}
	stat, err := c.store.Set(ctx, brokerSeqIDPath, nil, meta.AnyVersion)
	if err != nil {
		return -1, fmt.Errorf("bump %s: %w", brokerSeqIDPath, err)
	}
	return reservedMax + stat.Version, nil
}

// securityProtocols are Kafka's security protocol ids.
var securityProtocols = map[string]int16{"PLAINTEXT": 0, "SSL": 1, "SASL_PLAINTEXT": 2, "SASL_SSL": 3}
