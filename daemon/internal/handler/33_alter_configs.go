package handler

import (
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// AlterConfigs v0-2: the legacy API that replaces a resource's whole set of
// dynamic configs.
func (h *Handler) alterConfigs(ctx context.Context, _ *server.Request, body *kmsg.AlterConfigsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.AlterConfigsResponse)
	for _, rr := range body.Resources {
		cfg := map[string]string{}
		var err error
		for _, c := range rr.Configs {
			if c.Value == nil {
				err = kafkaErrorf(kerr.InvalidRequest, "null value not supported for config %s", c.Name)
				break
			}
			cfg[c.Name] = *c.Value
		}
		if err == nil {
			err = h.replaceConfig(ctx, rr.ResourceType, rr.ResourceName, cfg, body.ValidateOnly)
		}
		r := kmsg.NewAlterConfigsResponseResource()
		r.ResourceType, r.ResourceName = rr.ResourceType, rr.ResourceName
		r.ErrorCode, r.ErrorMessage = errorCode(err), errorMessage(err)
		resp.Resources = append(resp.Resources, r)
	}
	return resp, nil
}

// replaceConfig validates a resource's new dynamic configs and, unless
// validateOnly, stores them (the metadata store notifies every broker).
func (h *Handler) replaceConfig(ctx context.Context, resourceType kmsg.ConfigResourceType, name string, cfg map[string]string, validateOnly bool) error {
	entityType, entityName, err := h.configEntity(resourceType, name)
	if err != nil {
		return err
	}
	if entityType == entityTopics {
		err = h.deps.Configs.ValidateTopic(cfg)
	} else {
		err = h.deps.Configs.ValidateBroker(cfg)
	}
	if err != nil {
		return kafkaErrorf(kerr.InvalidConfig, "%v", err)
	}
	if validateOnly {
		return nil
	}
	return h.deps.Admin.SetEntityConfig(ctx, entityType, entityName, cfg)
}

// configEntity maps a config resource to its metadata-store entity.
func (h *Handler) configEntity(resourceType kmsg.ConfigResourceType, name string) (entityType, entityName string, err error) {
	switch resourceType {
	case resourceTopic:
		if _, ok := h.deps.Cache.Load().Topic(name); !ok {
			return "", "", kafkaErrorf(kerr.UnknownTopicOrPartition, "topic %s does not exist", name)
		}
		return entityTopics, name, nil
	case resourceBroker:
		if name == "" {
			return entityBrokers, brokerDefaultName, nil
		}
		if _, err := strconv.ParseInt(name, 10, 32); err != nil {
			return "", "", kafkaErrorf(kerr.InvalidRequest, "broker id must be an integer, got %q", name)
		}
		return entityBrokers, name, nil
	default:
		return "", "", kafkaErrorf(kerr.InvalidRequest, "unsupported resource type %d", resourceType)
	}
}
