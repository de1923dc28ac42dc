package admintest

import (
	"context"

	"github.com/kqhq/kq/admin"
)

// TopicConfigValues answers like admin.Client.TopicConfigValues: the
// effective value of key per existing topic, missing topics left out.
func (c *Cluster) TopicConfigValues(ctx context.Context, key string, topics ...string) (map[string]string, error) {
	if err := c.failure("TopicConfigValues"); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(topics))
	for _, name := range topics {
		entries, err := c.DescribeConfigs(ctx, admin.Resource{Type: admin.TopicResource, Name: name})
		if err != nil {
			continue // a topic deleted meanwhile, as the broker would answer
		}
		for _, e := range entries {
			if e.Name == key && e.Value != nil {
				out[name] = *e.Value
			}
		}
	}
	return out, nil
}
