package daemon

import (
	"context"
	"sync/atomic"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta"
)

// Connector opens a metadata-store session: the embedded store's Connect or
// a ZooKeeper connection.
type Connector func(ctx context.Context) (meta.Store, error)

// currentSession holds the broker's live metadata-store session. The
// handlers keep a pointer to it and always use the newest session, since a
// session that expires is replaced by a new one.
type currentSession struct {
	zk atomic.Pointer[kafkazk.Client]
}

func (s *currentSession) client() *kafkazk.Client { return s.zk.Load() }

func (s *currentSession) CreateTopic(ctx context.Context, spec kafkazk.TopicSpec) ([16]byte, error) {
	return s.client().CreateTopic(ctx, spec)
}

func (s *currentSession) DeleteTopic(ctx context.Context, name string) error {
	return s.client().DeleteTopic(ctx, name)
}

func (s *currentSession) AddPartitions(ctx context.Context, topic string, add map[int32][]int32) error {
	return s.client().AddPartitions(ctx, topic, add)
}

func (s *currentSession) EntityConfig(ctx context.Context, entityType, name string) (map[string]string, error) {
	return s.client().EntityConfig(ctx, entityType, name)
}

func (s *currentSession) SetEntityConfig(ctx context.Context, entityType, name string, cfg map[string]string) error {
	return s.client().SetEntityConfig(ctx, entityType, name, cfg)
}

func (s *currentSession) UpdateACLs(ctx context.Context, p authz.Pattern, edit func([]authz.Entry) []authz.Entry) ([]authz.Entry, error) {
	return s.client().UpdateACLs(ctx, p, edit)
}
