package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Fetch sessions (KIP-227). A request's session epoch, not its session id,
// says what it is, as Kafka's FetchManager.newContext decides:
//
//   - epoch -1 (FINAL_EPOCH): a full fetch without a session; it closes the
//     session it names, if any. Fetch v0-6 carry no session fields and are
//     always this kind (kmsg decodes their epoch as -1).
//   - epoch 0 (INITIAL_EPOCH): a full fetch asking for a new session; it
//     too closes the session it names. The broker may decline by answering
//     session id 0, and the client keeps sending full fetches.
//   - any other epoch: an incremental fetch on the session it names, which
//     must exist (FETCH_SESSION_ID_NOT_FOUND) at that epoch
//     (INVALID_FETCH_SESSION_EPOCH).
//
// kq keeps no sessions: it declines every new one, so every full fetch is
// answered sessionless and no incremental fetch can name a live session.
const (
	finalSessionEpoch   int32 = -1
	initialSessionEpoch int32 = 0
)

// fetchSessionError returns the top-level error of a fetch whose session
// cannot be served, or 0 when the request is a full fetch to answer.
func fetchSessionError(body *kmsg.FetchRequest) int16 {
	switch body.SessionEpoch {
	case finalSessionEpoch, initialSessionEpoch:
		return 0
	}
	// With no session cache every session id is unknown; a cache would
	// also answer INVALID_FETCH_SESSION_EPOCH for a known id at a wrong
	// epoch.
	return kerr.FetchSessionIDNotFound.Code
}

// sessionErrorResponse is Kafka's answer to a session error: the error, no
// session id and no partitions.
func sessionErrorResponse(body *kmsg.FetchRequest, code int16) *kmsg.FetchResponse {
	resp := body.ResponseKind().(*kmsg.FetchResponse)
	resp.ErrorCode = code
	resp.SessionID = 0
	return resp
}
