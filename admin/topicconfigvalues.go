package admin

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TopicConfigValues returns the effective value of one config (for example
// min.insync.replicas) for each named topic, in a single DescribeConfigs
// request. A topic the broker could not describe, or whose value is hidden,
// is left out of the map rather than failing the call: callers such as the
// TUI poll this for many topics and show "unknown" for the few missing.
func (c *Client) TopicConfigValues(ctx context.Context, key string, topics ...string) (map[string]string, error) {
	out := make(map[string]string, len(topics))
	if len(topics) == 0 {
		return out, nil
	}
	req := kmsg.NewPtrDescribeConfigsRequest()
	for _, name := range topics {
		r := kmsg.NewDescribeConfigsRequestResource()
		r.ResourceType = kmsg.ConfigResourceTypeTopic
		r.ResourceName = name
		r.ConfigNames = []string{key}
		req.Resources = append(req.Resources, r)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("describe %s of %d topics: %w", key, len(topics), err)
	}
	for _, r := range resp.(*kmsg.DescribeConfigsResponse).Resources {
		if r.ErrorCode != 0 {
			continue
		}
		for _, cfg := range r.Configs {
			if cfg.Name == key && cfg.Value != nil {
				out[r.ResourceName] = *cfg.Value
			}
		}
	}
	return out, nil
}
