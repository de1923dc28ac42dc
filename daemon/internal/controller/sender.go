package controller

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// Sender delivers controller requests to brokers.
type Sender interface {
	// Send delivers req to the broker and returns its response.
	Send(ctx context.Context, brokerID int32, req kmsg.Request) (kmsg.Response, error)
	// BrokersChanged tells the sender the live brokers and their endpoints,
	// so it can open and close connections to them.
	BrokersChanged(live map[int32]metadatacache.Broker)
}
