package handler

import (
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// AlterConfigs v0-2: the legacy API that replaces a resource's whole set of
// dynamic configs.
func (h *Handler) alterConfigs(ctx context.Context, req *server.Request, body *kmsg.AlterConfigsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.AlterConfigsResponse)
	dups := duplicateResources(body.Resources, func(r kmsg.AlterConfigsRequestResource) resourceKey {
		return resourceKey{r.ResourceType, r.ResourceName}
	})
	for i, rr := range body.Resources {
		err := errDuplicateResource
		if !dups[i] {
			err = h.configAuthorization(req, opAlterConfigs, rr.ResourceType, rr.ResourceName)
		}
		if !dups[i] && err == nil {
			err = h.alterResource(ctx, rr, body.ValidateOnly)
		}
		r := kmsg.NewAlterConfigsResponseResource()
		r.ResourceType, r.ResourceName = rr.ResourceType, rr.ResourceName
		r.ErrorCode, r.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		resp.Resources = append(resp.Resources, r)
	}
	return resp, nil
}

func (h *Handler) alterResource(ctx context.Context, rr kmsg.AlterConfigsRequestResource, validateOnly bool) error {
	cfg := map[string]string{}
	var nulls []string
	for _, c := range rr.Configs {
		if _, dup := cfg[c.Name]; dup {
			return errDuplicateKeys
		}
		cfg[c.Name] = ""
		if c.Value == nil {
			nulls = append(nulls, c.Name)
			continue
		}
		cfg[c.Name] = *c.Value
	}
	if len(nulls) > 0 {
		return errNullValues(nulls)
	}
	return h.replaceConfig(ctx, rr.ResourceType, rr.ResourceName, cfg, validateOnly)
}

// Kafka's refusals before any resource is touched (ConfigAdminManager's
// preprocessing), shared by AlterConfigs and IncrementalAlterConfigs.
var (
	errDuplicateResource = kafkaErrorf(kerr.InvalidRequest, "each resource must appear at most once")
	errDuplicateKeys     = kafkaErrorf(kerr.InvalidRequest, "error due to duplicate config keys")
)

func errNullValues(names []string) error {
	return kafkaErrorf(kerr.InvalidRequest, "null value not supported for: %v", names)
}

// resourceKey identifies a config resource in a request.
type resourceKey struct {
	typ  kmsg.ConfigResourceType
	name string
}

// duplicateResources marks, by index, every resource named more than once:
// Kafka refuses all of its entries.
func duplicateResources[R any](resources []R, key func(R) resourceKey) map[int]bool {
	count := map[resourceKey]int{}
	for _, r := range resources {
		count[key(r)]++
	}
	dups := map[int]bool{}
	for i, r := range resources {
		dups[i] = count[key(r)] > 1
	}
	return dups
}

// replaceConfig validates a resource's new dynamic configs and, unless
// validateOnly, stores them (the metadata store notifies every broker).
// Invalid topic configs are INVALID_CONFIG; invalid broker configs are
// INVALID_REQUEST, as Kafka answers them (KAFKA-13609).
func (h *Handler) replaceConfig(ctx context.Context, resourceType kmsg.ConfigResourceType, name string, cfg map[string]string, validateOnly bool) error {
	entityType, entityName, err := h.configEntity(resourceType, name)
	if err != nil {
		return err
	}
	if entityType == entityTopics {
		if err := h.deps.Configs.ValidateTopic(cfg); err != nil {
			return kafkaErrorf(kerr.InvalidConfig, "%v", err)
		}
	} else if err := h.deps.Configs.ValidateBroker(cfg); err != nil {
		return kafkaErrorf(kerr.InvalidRequest, "%v", err)
	}
	if validateOnly {
		return nil
	}
	return h.deps.Admin.SetEntityConfig(ctx, entityType, entityName, cfg)
}

// configEntity maps a config resource to its metadata-store entity. A
// broker resource is this broker's id or "" for the cluster-wide default:
// configs of another broker are altered through that broker, as in Kafka.
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
		if err := h.checkOwnBrokerID(name); err != nil {
			return "", "", err
		}
		return entityBrokers, name, nil
	default:
		return "", "", kafkaErrorf(kerr.InvalidRequest, "unknown resource type %d", resourceType)
	}
}

func (h *Handler) checkOwnBrokerID(name string) error {
	id, err := strconv.ParseInt(name, 10, 32)
	if err != nil {
		return kafkaErrorf(kerr.InvalidRequest, "node id must be an integer, but it is: %s", name)
	}
	if int32(id) != h.deps.BrokerID {
		return kafkaErrorf(kerr.InvalidRequest, "unexpected broker id, expected %d, but received %s", h.deps.BrokerID, name)
	}
	return nil
}
