package handler

import (
	"net"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/internal/server"
)

// Resource types and operations, short for the checks in each handler.
const (
	resTopic   = kmsg.ACLResourceTypeTopic
	resGroup   = kmsg.ACLResourceTypeGroup
	resCluster = kmsg.ACLResourceTypeCluster
	resTxnID   = kmsg.ACLResourceTypeTransactionalId

	opRead            = kmsg.ACLOperationRead
	opWrite           = kmsg.ACLOperationWrite
	opCreate          = kmsg.ACLOperationCreate
	opDeleteResource  = kmsg.ACLOperationDelete
	opAlter           = kmsg.ACLOperationAlter
	opDescribe        = kmsg.ACLOperationDescribe
	opClusterAction   = kmsg.ACLOperationClusterAction
	opDescribeConfigs = kmsg.ACLOperationDescribeConfigs
	opAlterConfigs    = kmsg.ACLOperationAlterConfigs
	opIdempotentWrite = kmsg.ACLOperationIdempotentWrite
)

// allowed reports whether the request's principal may perform op on the
// named resource, as KafkaApis asks its authorizer. Without an authorizer
// everything is allowed; so is a request the broker hands its own handler
// in process (no principal: controller and coordinator requests to
// itself), which never crossed a listener.
func (h *Handler) allowed(req *server.Request, op kmsg.ACLOperation, t kmsg.ACLResourceType, name string) bool {
	a := h.deps.Authorizer
	if a == nil || req.Conn.Principal == "" {
		return true
	}
	return a.Authorize(req.Conn.Principal, hostOf(a, req.Conn), op, t, name)
}

// allowedCluster is allowed on the one cluster resource.
func (h *Handler) allowedCluster(req *server.Request, op kmsg.ACLOperation) bool {
	return h.allowed(req, op, resCluster, authz.ClusterName)
}

// allowedAny reports whether the principal may perform op on some
// resource of type t (Kafka's authorizeByResourceType).
func (h *Handler) allowedAny(req *server.Request, op kmsg.ACLOperation, t kmsg.ACLResourceType) bool {
	a := h.deps.Authorizer
	if a == nil || req.Conn.Principal == "" {
		return true
	}
	return a.AuthorizeAny(req.Conn.Principal, hostOf(a, req.Conn), op, t)
}

// operations is a resource's authorized-operations bit field: every
// supported operation without an authorizer, the allowed ones with one.
func (h *Handler) operations(req *server.Request, t kmsg.ACLResourceType, name string) int32 {
	a := h.deps.Authorizer
	if a == nil || req.Conn.Principal == "" {
		return supportedOperations(t)
	}
	return a.AuthorizedOperations(req.Conn.Principal, hostOf(a, req.Conn), t, name)
}

// hostOf is the client's IP address as ACLs name hosts; "" when no ACL
// names a host, which spares formatting the address on every check.
func hostOf(a *authz.Authorizer, c server.ConnInfo) string {
	if !a.Snapshot().HostSpecific() || c.Remote == nil {
		return ""
	}
	if tcp, ok := c.Remote.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(c.Remote.String())
	if err != nil {
		return c.Remote.String()
	}
	return host
}
