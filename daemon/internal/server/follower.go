package server

import "github.com/twmb/franz-go/pkg/kmsg"

// fromFollower reports whether a request is a Fetch sent by a replica
// (a broker id, where consumers send -1), for the request metrics.
func fromFollower(r *Request) bool {
	f, ok := r.Body.(*kmsg.FetchRequest)
	if !ok {
		return false
	}
	if f.Version >= 15 {
		return f.ReplicaState.ID >= 0
	}
	return f.ReplicaID >= 0
}
