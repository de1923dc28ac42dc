package handler

import (
	"context"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
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
func (h *Handler) incrementalAlterConfigs(ctx context.Context, req *server.Request, body *kmsg.IncrementalAlterConfigsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.IncrementalAlterConfigsResponse)
	dups := duplicateResources(body.Resources, func(r kmsg.IncrementalAlterConfigsRequestResource) resourceKey {
		return resourceKey{r.ResourceType, r.ResourceName}
	})
	for i, rr := range body.Resources {
		err := errDuplicateResource
		if !dups[i] {
			err = h.configAuthorization(req, opAlterConfigs, rr.ResourceType, rr.ResourceName)
		}
		if !dups[i] && err == nil {
			err = h.alterIncrementally(ctx, rr, body.ValidateOnly)
		}
		r := kmsg.NewIncrementalAlterConfigsResponseResource()
		r.ResourceType, r.ResourceName = rr.ResourceType, rr.ResourceName
		r.ErrorCode, r.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		resp.Resources = append(resp.Resources, r)
	}
	return resp, nil
}

func (h *Handler) alterIncrementally(ctx context.Context, rr kmsg.IncrementalAlterConfigsRequestResource, validateOnly bool) error {
	if err := checkIncrementalOps(rr.Configs); err != nil {
		return err
	}
	entityType, entityName, err := h.configEntity(rr.ResourceType, rr.ResourceName)
	if err != nil {
		return err
	}
	cfg, err := h.deps.Admin.EntityConfig(ctx, entityType, entityName)
	if err != nil {
		return err
	}
	if cfg == nil {
		cfg = map[string]string{}
	}
	for _, c := range rr.Configs {
		if err := h.applyConfigOp(cfg, entityType, c); err != nil {
			return err
		}
	}
	return h.replaceConfig(ctx, rr.ResourceType, rr.ResourceName, cfg, validateOnly)
}

// checkIncrementalOps applies Kafka's checks on a resource's operations
// before anything is read: each key once, a value for every operation but
// DELETE, known operations.
func checkIncrementalOps(configs []kmsg.IncrementalAlterConfigsRequestResourceConfig) error {
	seen := map[string]bool{}
	var nulls []string
	for _, c := range configs {
		if seen[c.Name] {
			return errDuplicateKeys
		}
		seen[c.Name] = true
		if c.Op < opSet || c.Op > opSubtract {
			return kafkaErrorf(kerr.InvalidRequest, "unknown config operation %d for %s", c.Op, c.Name)
		}
		if c.Op != opDelete && c.Value == nil {
			nulls = append(nulls, c.Name)
		}
	}
	if len(nulls) > 0 {
		return errNullValues(nulls)
	}
	return nil
}

func (h *Handler) applyConfigOp(cfg map[string]string, entityType string, c kmsg.IncrementalAlterConfigsRequestResourceConfig) error {
	switch c.Op {
	case opSet:
		cfg[c.Name] = *c.Value
	case opDelete:
		delete(cfg, c.Name)
	default: // APPEND, SUBTRACT
		current, isList, known := h.describeOne(entityType, c.Name)
		switch {
		case !known:
			return kafkaErrorf(kerr.InvalidConfig, "unknown config name: %s", c.Name)
		case !isList:
			return kafkaErrorf(kerr.InvalidRequest, "config value %s is not allowed for config key: %s", opName(c.Op), c.Name)
		}
		if override, ok := cfg[c.Name]; ok {
			current = override
		}
		cfg[c.Name] = editList(current, *c.Value, c.Op == opAppend)
	}
	return nil
}

// describeOne returns a config's current value without dynamic overrides
// (what APPEND and SUBTRACT start from when the resource has none, as Kafka
// starts from the default), whether it is a list, and whether it exists.
func (h *Handler) describeOne(entityType, name string) (value string, isList, known bool) {
	var entries []ConfigEntry
	if entityType == entityTopics {
		entries = h.deps.Configs.DescribeTopic(nil, []string{name}, false, false)
	} else {
		entries = h.deps.Configs.DescribeBroker(h.deps.BrokerID, nil, nil, []string{name}, false, false)
	}
	if len(entries) != 1 || entries[0].Name != name {
		return "", false, false
	}
	if v := entries[0].Value; v != nil {
		value = *v
	}
	return value, entries[0].Type == configTypeList, true
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
		return "append"
	}
	return "subtract"
}
