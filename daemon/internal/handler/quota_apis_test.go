package handler_test

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"

	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// fakeQuotaStore keeps entity configs by "<type>/<name>" in memory.
type fakeQuotaStore struct {
	mu       sync.Mutex
	entities map[string]map[string]string
}

func (s *fakeQuotaStore) QuotaEntityConfigs(context.Context) ([]kafkazk.QuotaEntityConfig, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []kafkazk.QuotaEntityConfig
	for path, cfg := range s.entities {
		typ, name, _ := strings.Cut(path, "/")
		u, c, ok := kafkazk.ParseQuotaEntity(typ, name)
		if ok {
			out = append(out, kafkazk.QuotaEntityConfig{User: u, ClientID: c, Config: maps.Clone(cfg)})
		}
	}
	return out, nil
}

func (s *fakeQuotaStore) UpdateEntityConfig(_ context.Context, typ, name string, update func(map[string]string) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := maps.Clone(s.entities[typ+"/"+name])
	if cfg == nil {
		cfg = map[string]string{}
	}
	if err := update(cfg); err != nil {
		return err
	}
	s.entities[typ+"/"+name] = cfg
	return nil
}

func (s *fakeQuotaStore) get(path string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.entities[path])
}

func newQuotaHandler(t *testing.T, entities map[string]map[string]string) (*handler.Handler, *fakeQuotaStore) {
	t.Helper()
	store := &fakeQuotaStore{entities: entities}
	h := handler.New(handler.Deps{Logger: slog.New(slog.DiscardHandler), QuotaStore: store, Quotas: quota.New(quota.Options{})})
	return h, store
}

func callQuota(t *testing.T, h *handler.Handler, req kmsg.Request) kmsg.Response {
	t.Helper()
	out, err := h.Handle(context.Background(), &server.Request{Key: req.Key(), Version: req.GetVersion(), Body: req,
		Conn: server.ConnInfo{ID: 1, Listener: "PLAINTEXT", Principal: server.AnonymousPrincipal}})
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	return out.Msg
}

func str(s string) *string { return &s }

// alterEntry builds one AlterClientQuotas entry; a component "user=" with
// no name after = is the <default> entity.
func alterEntry(entity []string, ops ...kmsg.AlterClientQuotasRequestEntryOp) kmsg.AlterClientQuotasRequestEntry {
	e := kmsg.NewAlterClientQuotasRequestEntry()
	for _, c := range entity {
		typ, name, _ := strings.Cut(c, "=")
		ent := kmsg.NewAlterClientQuotasRequestEntryEntity()
		ent.Type = typ
		if name != "" {
			ent.Name = str(name)
		}
		e.Entity = append(e.Entity, ent)
	}
	e.Ops = ops
	return e
}

func setOp(key string, v float64) kmsg.AlterClientQuotasRequestEntryOp {
	return kmsg.AlterClientQuotasRequestEntryOp{Key: key, Value: v}
}

func TestAlterClientQuotas(t *testing.T) {
	cases := []struct {
		name     string
		entry    kmsg.AlterClientQuotasRequestEntry
		wantCode int16
		wantMsg  string
		path     string
		wantCfg  map[string]string
		validate bool
	}{
		{"user quota keeps SCRAM credentials", alterEntry([]string{"user=alice"}, setOp("producer_byte_rate", 1048576)),
			0, "", "users/alice", map[string]string{"SCRAM-SHA-256": "cred", "consumer_byte_rate": "5", "producer_byte_rate": "1048576"}, false},
		{"remove keeps the rest", alterEntry([]string{"user=alice"}, kmsg.AlterClientQuotasRequestEntryOp{Key: "consumer_byte_rate", Remove: true}),
			0, "", "users/alice", map[string]string{"SCRAM-SHA-256": "cred", "producer_byte_rate": "1048576"}, false},
		{"default user and default client", alterEntry([]string{"user=", "client-id="}, setOp("request_percentage", 50)),
			0, "", "users/<default>/clients/<default>", map[string]string{"request_percentage": "50.0"}, false},
		{"user and client, names sanitized", alterEntry([]string{"user=CN=a b", "client-id=app*"}, setOp("consumer_byte_rate", 10)),
			0, "", "users/CN%3Da%20b/clients/app%2A", map[string]string{"consumer_byte_rate": "10"}, false},
		{"client id", alterEntry([]string{"client-id=app"}, setOp("producer_byte_rate", 2048)),
			0, "", "clients/app", map[string]string{"producer_byte_rate": "2048"}, false},
		{"validate only writes nothing", alterEntry([]string{"client-id=dry"}, setOp("producer_byte_rate", 2048)),
			0, "", "clients/dry", nil, true},
		{"unknown key", alterEntry([]string{"user=bob"}, setOp("retention.ms", 1)),
			kerr.InvalidRequest.Code, "Invalid configuration key retention.ms", "users/bob", nil, false},
		{"negative value", alterEntry([]string{"user=bob"}, setOp("producer_byte_rate", -1)),
			kerr.InvalidRequest.Code, "must be a non-negative number", "users/bob", nil, false},
		{"fractional LONG", alterEntry([]string{"user=bob"}, setOp("producer_byte_rate", 1.5)),
			kerr.InvalidRequest.Code, "Configuration producer_byte_rate must be a LONG value", "users/bob", nil, false},
		{"one bad op fails the entry", alterEntry([]string{"user=bob"}, setOp("producer_byte_rate", 10), setOp("nope", 1)),
			kerr.InvalidRequest.Code, "Invalid configuration key nope", "users/bob", nil, false},
		{"bad entity type", alterEntry([]string{"group=g"}, setOp("producer_byte_rate", 1)),
			kerr.InvalidRequest.Code, "Unhandled client quota entity type: group", "", nil, false},
		{"empty entity", alterEntry(nil, setOp("producer_byte_rate", 1)),
			kerr.InvalidRequest.Code, "Invalid empty client quota entity", "", nil, false},
		{"ip with user", alterEntry([]string{"user=a", "ip=1.2.3.4"}, setOp("producer_byte_rate", 1)),
			kerr.InvalidRequest.Code, "IP entity should not be used", "", nil, false},
	}
	h, store := newQuotaHandler(t, map[string]map[string]string{"users/alice": {"SCRAM-SHA-256": "cred", "consumer_byte_rate": "5"}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := kmsg.NewPtrAlterClientQuotasRequest()
			req.SetVersion(1)
			req.ValidateOnly = tc.validate
			req.Entries = []kmsg.AlterClientQuotasRequestEntry{tc.entry}
			resp := callQuota(t, h, req).(*kmsg.AlterClientQuotasResponse)
			got := resp.Entries[0]
			msg := ""
			if got.ErrorMessage != nil {
				msg = *got.ErrorMessage
			}
			if got.ErrorCode != tc.wantCode || !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("error %d %q, want %d %q", got.ErrorCode, msg, tc.wantCode, tc.wantMsg)
			}
			if len(got.Entity) != len(tc.entry.Entity) {
				t.Fatalf("response entity %v does not echo the request's", got.Entity)
			}
			if tc.path != "" && !maps.Equal(store.get(tc.path), tc.wantCfg) {
				t.Fatalf("%s = %v, want %v", tc.path, store.get(tc.path), tc.wantCfg)
			}
		})
	}
}

func TestDescribeClientQuotasFilters(t *testing.T) {
	h, _ := newQuotaHandler(t, map[string]map[string]string{
		"users/alice":                       {"producer_byte_rate": "100", "SCRAM-SHA-512": "secret"},
		"users/alice/clients/app":           {"consumer_byte_rate": "200"},
		"users/<default>":                   {"request_percentage": "25.0"},
		"users/<default>/clients/<default>": {"producer_byte_rate": "300"},
		"clients/app":                       {"producer_byte_rate": "400"},
		"clients/<default>":                 {"producer_byte_rate": "500"},
		"users/carol":                       {"SCRAM-SHA-256": "only credentials"},
	})
	type comp struct {
		typ   string
		match int8
		name  string
	}
	cases := []struct {
		name     string
		comps    []comp
		strict   bool
		want     []string
		wantCode int16
	}{
		{"everything", nil, false, []string{"client-id=<default>", "client-id=app", "user=<default>", "user=<default>,client-id=<default>", "user=alice", "user=alice,client-id=app"}, 0},
		{"exact user, not strict", []comp{{"user", 0, "alice"}}, false, []string{"user=alice", "user=alice,client-id=app"}, 0},
		{"exact user, strict", []comp{{"user", 0, "alice"}}, true, []string{"user=alice"}, 0},
		{"default user", []comp{{"user", 1, ""}}, false, []string{"user=<default>", "user=<default>,client-id=<default>"}, 0},
		{"any client id, strict", []comp{{"client-id", 2, ""}}, true, []string{"client-id=<default>", "client-id=app"}, 0},
		{"user and client", []comp{{"user", 2, ""}, {"client-id", 0, "app"}}, false, []string{"user=alice,client-id=app"}, 0},
		{"unknown user", []comp{{"user", 0, "nobody"}}, true, nil, 0},
		{"duplicate component", []comp{{"user", 2, ""}, {"user", 2, ""}}, false, nil, kerr.InvalidRequest.Code},
		{"custom entity type", []comp{{"group", 2, ""}}, false, nil, kerr.UnsupportedVersion.Code},
		{"empty entity type", []comp{{"", 2, ""}}, false, nil, kerr.InvalidRequest.Code},
		{"bad match type", []comp{{"user", 9, ""}}, false, nil, kerr.InvalidRequest.Code},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := kmsg.NewPtrDescribeClientQuotasRequest()
			req.SetVersion(1)
			req.Strict = tc.strict
			for _, c := range tc.comps {
				rc := kmsg.NewDescribeClientQuotasRequestComponent()
				rc.EntityType, rc.MatchType = c.typ, kmsg.QuotasMatchType(c.match)
				if c.name != "" {
					rc.Match = str(c.name)
				}
				req.Components = append(req.Components, rc)
			}
			resp := callQuota(t, h, req).(*kmsg.DescribeClientQuotasResponse)
			if resp.ErrorCode != tc.wantCode {
				t.Fatalf("error code %d, want %d", resp.ErrorCode, tc.wantCode)
			}
			var got []string
			for _, e := range resp.Entries {
				var parts []string
				for _, ent := range e.Entity {
					name := "<default>"
					if ent.Name != nil {
						name = *ent.Name
					}
					parts = append(parts, ent.Type+"="+name)
				}
				for _, v := range e.Values {
					if strings.HasPrefix(v.Key, "SCRAM") {
						t.Fatalf("credentials described: %v", e)
					}
				}
				got = append(got, strings.Join(parts, ","))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("entities %v, want %v", got, tc.want)
			}
		})
	}
}

// TestQuotaAPIVersionsAreKafka39s: with a quota store the two APIs are
// served over Kafka 3.9's ranges.
func TestQuotaAPIVersionsAreKafka39s(t *testing.T) {
	h, _ := newQuotaHandler(t, map[string]map[string]string{})
	v39 := kversion.V3_9_0()
	for _, key := range []int16{48, 49} {
		kafkaMax, _ := v39.LookupMaxKeyVersion(key)
		if lo, hi, ok := h.Versions(key); !ok || lo != 0 || hi != kafkaMax {
			t.Errorf("key %d: v%d-v%d (%v), Kafka 3.9 serves v0-v%d", key, lo, hi, ok, kafkaMax)
		}
	}
}

// TestRequestPercentageThrottles: handling time counts against
// request_percentage, except for the APIs Kafka exempts.
func TestRequestPercentageThrottles(t *testing.T) {
	m := quota.New(quota.Options{})
	if err := m.Set(quota.Entity{User: quota.Default}, map[string]string{quota.RequestPercentage: "0"}); err != nil {
		t.Fatal(err)
	}
	h := handler.New(handler.Deps{Logger: slog.New(slog.DiscardHandler), QuotaStore: &fakeQuotaStore{entities: map[string]map[string]string{}}, Quotas: m})
	cases := []struct {
		req  kmsg.Request
		want bool
	}{
		{kmsg.NewPtrDescribeClientQuotasRequest(), true},
		{kmsg.NewPtrApiVersionsRequest(), false},
	}
	for _, tc := range cases {
		out, err := h.Handle(context.Background(), &server.Request{Key: tc.req.Key(), Version: 0, Body: tc.req,
			Conn: server.ConnInfo{ID: 1, Principal: server.AnonymousPrincipal}})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Throttle > 0; got != tc.want {
			t.Errorf("%s: throttle %v, want throttled %v", kmsg.NameForKey(tc.req.Key()), out.Throttle, tc.want)
		}
	}
}
