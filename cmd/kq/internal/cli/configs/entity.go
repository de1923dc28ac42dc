// Package configs is `kq configs`: describe and alter topic and broker
// configs, with kafka-configs' spelling (--describe/--alter --entity-type
// topics --entity-name t --add-config k=v,k2=[a,b] --delete-config k) and a
// noun-verb form (kq configs describe topic t; kq configs alter topic t
// --add-config k=v).
package configs

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

// configsAdmin is what the configs commands need from a cluster.
type configsAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	Cluster(ctx context.Context) (admin.Cluster, error)
	DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error)
	AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error
}

// Entity is what configs are read or written for.
type Entity struct {
	Type admin.ResourceType
	// Name is the topic or broker id; "" with Default for the brokers'
	// cluster-wide default, or "" alone for "every entity of the type".
	Name    string
	Default bool
}

func (e Entity) resource() admin.Resource { return admin.Resource{Type: e.Type, Name: e.Name} }

// typeWord is Kafka's singular entity type: "topic" or "broker".
func (e Entity) typeWord() string {
	if e.Type == admin.TopicResource {
		return "topic"
	}
	return "broker"
}

// parseEntityType reads topics/topic/brokers/broker.
func parseEntityType(s string) (admin.ResourceType, error) {
	switch strings.ToLower(s) {
	case "topics", "topic":
		return admin.TopicResource, nil
	case "brokers", "broker":
		return admin.BrokerResource, nil
	}
	return 0, clierr.Usagef("entity type %q is not supported (want topics or brokers)", s)
}

// newEntity checks a type, name and --entity-default together.
func newEntity(typ admin.ResourceType, name string, isDefault bool) (Entity, error) {
	e := Entity{Type: typ, Name: name, Default: isDefault}
	switch {
	case isDefault && typ != admin.BrokerResource:
		return e, clierr.Usagef("--entity-default is only for brokers")
	case isDefault && name != "":
		return e, clierr.Usagef("give either an entity name or --entity-default")
	case typ == admin.TopicResource && name != "":
		return e, clierr.Usage(admin.ValidateTopicName(name))
	case typ == admin.BrokerResource && name != "":
		if _, err := strconv.ParseInt(name, 10, 32); err != nil {
			return e, clierr.Usagef("The entity name for brokers must be a valid integer broker id, found: %s", name)
		}
	}
	return e, nil
}

// validConfigKey is the character set kafka-configs allows in names.
var validConfigKey = regexp.MustCompile(`^[$a-zA-Z0-9._-]*$`)

// parseAddConfig reads "k1=v1,k2=[a,b],k3=v3". Brackets group a value that
// contains commas and are removed.
func parseAddConfig(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, entry := range splitOutsideBrackets(s) {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		key, value, ok := strings.Cut(entry, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" {
			return nil, fmt.Errorf(`Invalid entity config: all configs to be added must be in the format "key=val" or "key=[val1,val2]" to group values which contain commas.`)
		}
		if !validConfigKey.MatchString(key) {
			return nil, fmt.Errorf("Invalid character found for config key: %s", key)
		}
		if strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]") {
			value = value[1 : len(value)-1]
		}
		out[key] = value
	}
	return out, nil
}

// splitOutsideBrackets splits at the commas not inside [...], Kafka's
// --add-config grammar.
func splitOutsideBrackets(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth = max(depth-1, 0)
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// parseDeleteConfig reads repeated and comma-separated names.
func parseDeleteConfig(values []string) []string {
	var out []string
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}
