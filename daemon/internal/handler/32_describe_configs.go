package handler

import (
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// Config resource types of the configs APIs.
const (
	resourceTopic  = kmsg.ConfigResourceTypeTopic
	resourceBroker = kmsg.ConfigResourceTypeBroker
)

// Config entity types and the cluster-wide broker entity, as stored under
// /config in the metadata store.
const (
	entityTopics       = "topics"
	entityBrokers      = "brokers"
	brokerDefaultName  = "<default>"
	configTypeList     = 7
	describeAllConfigs = -1
)

// DescribeConfigs v0-4 for topics and brokers.
func (h *Handler) describeConfigs(ctx context.Context, req *server.Request, body *kmsg.DescribeConfigsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeConfigsResponse)
	for _, rr := range body.Resources {
		r := kmsg.NewDescribeConfigsResponseResource()
		r.ResourceType, r.ResourceName = rr.ResourceType, rr.ResourceName
		var entries []ConfigEntry
		err := h.configAuthorization(req, opDescribeConfigs, rr.ResourceType, rr.ResourceName)
		if err == nil {
			entries, err = h.describeResource(ctx, rr, body.IncludeSynonyms || body.Version == 0, body.IncludeDocumentation)
		}
		r.ErrorCode, r.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		for _, e := range entries {
			r.Configs = append(r.Configs, describeEntry(e, body.Version, body.IncludeSynonyms))
		}
		resp.Resources = append(resp.Resources, r)
	}
	return resp, nil
}

func (h *Handler) describeResource(ctx context.Context, rr kmsg.DescribeConfigsRequestResource, synonyms, docs bool) ([]ConfigEntry, error) {
	switch rr.ResourceType {
	case resourceTopic:
		if _, ok := h.deps.Cache.Load().Topic(rr.ResourceName); !ok {
			return nil, kafkaErrorf(kerr.UnknownTopicOrPartition, "topic %s does not exist", rr.ResourceName)
		}
		overrides, err := h.deps.Admin.EntityConfig(ctx, entityTopics, rr.ResourceName)
		if err != nil {
			return nil, err
		}
		return h.deps.Configs.DescribeTopic(overrides, rr.ConfigNames, synonyms, docs), nil
	case resourceBroker:
		return h.describeBroker(ctx, rr.ResourceName, rr.ConfigNames, synonyms, docs)
	default:
		return nil, kafkaErrorf(kerr.InvalidRequest, "unsupported resource type %d", rr.ResourceType)
	}
}

func (h *Handler) describeBroker(ctx context.Context, name string, keys []string, synonyms, docs bool) ([]ConfigEntry, error) {
	defaults, err := h.deps.Admin.EntityConfig(ctx, entityBrokers, brokerDefaultName)
	if err != nil {
		return nil, err
	}
	if name == "" { // the cluster-wide dynamic defaults
		return h.deps.Configs.DescribeBroker(h.deps.BrokerID, nil, defaults, keys, synonyms, docs), nil
	}
	id, err := strconv.ParseInt(name, 10, 32)
	if err != nil || int32(id) != h.deps.BrokerID {
		return nil, kafkaErrorf(kerr.InvalidRequest, "unexpected broker id, expected %d or empty string, but received %s", h.deps.BrokerID, name)
	}
	perBroker, err := h.deps.Admin.EntityConfig(ctx, entityBrokers, name)
	if err != nil {
		return nil, err
	}
	return h.deps.Configs.DescribeBroker(h.deps.BrokerID, perBroker, defaults, keys, synonyms, docs), nil
}

func describeEntry(e ConfigEntry, version int16, synonyms bool) kmsg.DescribeConfigsResponseResourceConfig {
	c := kmsg.NewDescribeConfigsResponseResourceConfig()
	c.Name, c.Value, c.ReadOnly, c.IsSensitive = e.Name, e.Value, e.ReadOnly, e.Sensitive
	c.Source = kmsg.ConfigSource(e.Source)
	c.IsDefault = e.Source == int8(kmsg.ConfigSourceDefaultConfig)
	c.ConfigType = kmsg.ConfigType(e.Type)
	c.Documentation = e.Doc
	if version >= 1 && synonyms {
		for _, s := range e.Synonyms {
			cs := kmsg.NewDescribeConfigsResponseResourceConfigConfigSynonym()
			cs.Name, cs.Value, cs.Source = s.Name, s.Value, kmsg.ConfigSource(s.Source)
			c.ConfigSynonyms = append(c.ConfigSynonyms, cs)
		}
	}
	return c
}
