package group

import "time"

// Protocol is one assignment protocol a member supports, with its opaque
// metadata (for consumers, the subscription). The coordinator never looks
// inside, which is why every client-side assignor works.
type Protocol struct {
	Name     string
	Metadata []byte
}

// JoinRequest is a JoinGroup request.
type JoinRequest struct {
	Group      string
	MemberID   string  // "" for a member joining for the first time
	InstanceID *string // group.instance.id of a static member
	// RequireKnownMemberID (JoinGroup v4+) answers a first join with
	// MEMBER_ID_REQUIRED and a member id to join with.
	RequireKnownMemberID bool
	ClientID, ClientHost string
	RebalanceTimeout     time.Duration
	SessionTimeout       time.Duration
	ProtocolType         string
	Protocols            []Protocol
	Reason               string
	// SupportsSkipAssignment (JoinGroup v9+): a static leader rejoining a
	// stable group can be told to skip the assignment (KIP-814).
	SupportsSkipAssignment bool
}

// JoinMember is one member as the leader sees it in its JoinGroup answer.
type JoinMember struct {
	MemberID   string
	InstanceID *string
	Metadata   []byte
}

// JoinResult answers a JoinGroup. Err is nil or a *kerr.Error.
type JoinResult struct {
	Err            error
	MemberID       string
	Generation     int32
	ProtocolType   string
	Protocol       *string
	Leader         string
	SkipAssignment bool
	Members        []JoinMember // the leader's only
}

// SyncRequest is a SyncGroup request.
type SyncRequest struct {
	Group        string
	Generation   int32
	MemberID     string
	InstanceID   *string
	ProtocolType *string // v5+
	Protocol     *string // v5+
	Assignments  map[string][]byte
}

// SyncResult answers a SyncGroup. Err is nil or a *kerr.Error.
type SyncResult struct {
	Err          error
	ProtocolType *string
	Protocol     *string
	Assignment   []byte
}

// HeartbeatRequest is a Heartbeat request.
type HeartbeatRequest struct {
	Group      string
	Generation int32
	MemberID   string
	InstanceID *string
}

// LeavingMember is one member of a LeaveGroup request: a member id, or
// (administrative removal) only the instance id of a static member.
type LeavingMember struct {
	MemberID   string
	InstanceID *string
	Reason     string
}
