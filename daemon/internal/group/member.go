package group

import "time"

// member is one member of a group.
type member struct {
	id               string
	instanceID       *string
	clientID         string
	clientHost       string
	rebalanceTimeout time.Duration
	sessionTimeout   time.Duration
	protocolType     string
	protocols        []Protocol
	assignment       []byte
	joinedAt         uint64 // order of joining: the group's member order

	// joinWait and syncWait are the member's parked JoinGroup and SyncGroup
	// answers; every one is answered exactly once.
	joinWait func(JoinResult)
	syncWait func(SyncResult)
	// isNew marks a member added during the group's first rebalance: it
	// may expire while its join is parked.
	isNew     bool
	heartbeat deadline
}

func (m *member) awaitingJoin() bool { return m.joinWait != nil }
func (m *member) awaitingSync() bool { return m.syncWait != nil }
func (m *member) isStatic() bool     { return m.instanceID != nil }

// metadata returns the member's metadata for a protocol.
func (m *member) metadata(protocol string) []byte {
	for _, p := range m.protocols {
		if p.Name == protocol {
			return p.Metadata
		}
	}
	return nil
}

// matches reports whether a rejoin carries exactly the protocols the
// member joined with, so no rebalance is needed.
func (m *member) matches(protocols []Protocol) bool {
	if len(protocols) != len(m.protocols) {
		return false
	}
	for i, p := range protocols {
		if p.Name != m.protocols[i].Name || string(p.Metadata) != string(m.protocols[i].Metadata) {
			return false
		}
	}
	return true
}

func (m *member) answerJoin(r JoinResult) {
	if w := m.joinWait; w != nil {
		m.joinWait = nil
		w(r)
	}
}

func (m *member) answerSync(r SyncResult) {
	if w := m.syncWait; w != nil {
		m.syncWait = nil
		w(r)
	}
}
