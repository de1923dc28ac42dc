package handler

import (
	"context"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// IncrementalAlterConfigs operations.
const (
	opSet      = 0
	opDelete   = 1
	opAppend   = 2
	opSubtract = 3
)

// IncrementalAlterConfigs v0-1: set, delete, append to or subtract from
// single configs, leaving the others as they are.
func (h *Handler) incrementalAlterConfigs(ctx context.Context, _ *server.Request, body *kmsg.IncrementalAlterConfigsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.IncrementalAlterConfigsResponse)
	for _, rr := range body.Resources {
		err := h.alterIncrementally(ctx, rr, body.ValidateOnly)
		r := kmsg.NewIncrementalAlterConfigsResponseResource()
		r.ResourceType, r.ResourceName = rr.ResourceType, rr.ResourceName
		r.ErrorCode, r.ErrorMessage = errorCode(err), errorMessage(err)
		resp.Resources = append(resp.Resources, r)
	}
	return resp, nil
}

func (h *Handler) alterIncrementally(ctx context.Context, rr kmsg.IncrementalAlterConfigsRequestResource, validateOnly bool) error {
	entityType, entityName, err := h.configEntity(rr.ResourceType, rr.ResourceName)
	if err != nil {
		return err
	}
	cfg, err := h.deps.Admin.EntityConfig(ctx, entityType, entityName)
	if err != nil {
		return err
	}
	for _, c := range rr.Configs {
		if err := h.applyConfigOp(cfg, entityType, c); err != nil {
			return err
		}
	}
	return h.replaceConfig(ctx, rr.ResourceType, rr.ResourceName, cfg, validateOnly)
}

func (h *Handler) applyConfigOp(cfg map[string]string, entityType string, c kmsg.IncrementalAlterConfigsRequestResourceConfig) error {
	value := ""
	if c.Value != nil {
		value = *c.Value
	}
	switch c.Op {
	case opSet:
		if c.Value == nil {
			return kafkaErrorf(kerr.InvalidRequest, "null value not supported for config %s", c.Name)
		}
		cfg[c.Name] = value
	case opDelete:
		delete(cfg, c.Name)
	case opAppend, opSubtract:
		if !h.isListConfig(entityType, c.Name) {
			return kafkaErrorf(kerr.InvalidConfig, "config %s is not a list, so %s is not allowed", c.Name, opName(c.Op))
		}
		cfg[c.Name] = editList(cfg[c.Name], value, c.Op == opAppend)
	default:
		return kafkaErrorf(kerr.InvalidRequest, "unknown config operation %d for %s", c.Op, c.Name)
	}
	return nil
}

func (h *Handler) isListConfig(entityType, name string) bool {
	var entries []ConfigEntry
	if entityType == entityTopics {
		entries = h.deps.Configs.DescribeTopic(nil, []string{name}, false, false)
	} else {
		entries = h.deps.Configs.DescribeBroker(h.deps.BrokerID, nil, nil, []string{name}, false, false)
	}
	return len(entries) == 1 && entries[0].Type == configTypeList
}

// editList appends to or removes from a comma-separated list value.
func editList(current, values string, add bool) string {
	var items []string
	if current != "" {
		items = strings.Split(current, ",")
	}
	for _, v := range strings.Split(values, ",") {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
		case add && !slices.Contains(items, v):
			items = append(items, v)
		case !add:
			items = slices.DeleteFunc(items, func(s string) bool { return s == v })
		}
	}
	return strings.Join(items, ",")
}

func opName(op kmsg.IncrementalAlterConfigOp) string {
	if op == opAppend {
		return "APPEND"
	}
	return "SUBTRACT"
}
