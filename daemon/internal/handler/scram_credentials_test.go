package handler_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// The fake Admin keeps user configs as entities "users/<name>".
func (a *fakeAdmin) Users(context.Context) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for k := range a.entities {
		if u, ok := strings.CutPrefix(k, "users/"); ok {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (a *fakeAdmin) UserConfig(ctx context.Context, user string) (map[string]string, error) {
	return a.EntityConfig(ctx, "users", user)
}

func (a *fakeAdmin) SetUserConfig(ctx context.Context, user string, cfg map[string]string) error {
	return a.SetEntityConfig(ctx, "users", user, cfg)
}

func upsertion(user string, mech kafkazk.ScramMechanism, iterations int32, password string) kmsg.AlterUserSCRAMCredentialsRequestUpsertion {
	u := kmsg.NewAlterUserSCRAMCredentialsRequestUpsertion()
	u.Name, u.Mechanism, u.Iterations, u.Salt = user, mech.Type, iterations, []byte("salt")
	u.SaltedPassword, _ = mech.SaltPassword(password, u.Salt, max(iterations, 1))
	return u
}

func deletion(user string, mech int8) kmsg.AlterUserSCRAMCredentialsRequestDeletion {
	d := kmsg.NewAlterUserSCRAMCredentialsRequestDeletion()
	d.Name, d.Mechanism = user, mech
	return d
}

func alterScram(f *fixture, dels []kmsg.AlterUserSCRAMCredentialsRequestDeletion, ups ...kmsg.AlterUserSCRAMCredentialsRequestUpsertion) map[string]int16 {
	req := kmsg.NewPtrAlterUserSCRAMCredentialsRequest()
	req.Deletions, req.Upsertions = dels, ups
	out := map[string]int16{}
	for _, r := range f.call(req).(*kmsg.AlterUserSCRAMCredentialsResponse).Results {
		out[r.User] = r.ErrorCode
	}
	return out
}

func TestAlterUserScramCredentials(t *testing.T) {
	sha256, sha512 := kafkazk.ScramSHA256, kafkazk.ScramSHA512
	tests := []struct {
		name string
		dels []kmsg.AlterUserSCRAMCredentialsRequestDeletion
		ups  []kmsg.AlterUserSCRAMCredentialsRequestUpsertion
		want map[string]int16
	}{
		{"upsert two users", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{
			upsertion("alice", sha256, 8192, "a"), upsertion("bob", sha512, 4096, "b")}, map[string]int16{"alice": 0, "bob": 0}},
		{"too few iterations", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{upsertion("alice", sha256, 4095, "a")},
			map[string]int16{"alice": kerr.UnacceptableCredential.Code}},
		{"absurd iterations", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{func() kmsg.AlterUserSCRAMCredentialsRequestUpsertion {
			u := upsertion("alice", sha256, 4096, "a")
			u.Iterations = 1 << 30
			return u
		}()}, map[string]int16{"alice": kerr.UnacceptableCredential.Code}},
		{"negative iterations", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{func() kmsg.AlterUserSCRAMCredentialsRequestUpsertion {
			u := upsertion("alice", sha256, 4096, "a")
			u.Iterations = -5
			return u
		}()}, map[string]int16{"alice": kerr.UnacceptableCredential.Code}},
		{"unknown mechanism", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{func() kmsg.AlterUserSCRAMCredentialsRequestUpsertion {
			u := upsertion("alice", sha256, 4096, "a")
			u.Mechanism = 9
			return u
		}()}, map[string]int16{"alice": kerr.UnsupportedSaslMechanism.Code}},
		{"empty user", nil, []kmsg.AlterUserSCRAMCredentialsRequestUpsertion{upsertion("", sha256, 4096, "a")},
			map[string]int16{"": kerr.UnacceptableCredential.Code}},
		{"same mechanism twice", []kmsg.AlterUserSCRAMCredentialsRequestDeletion{deletion("alice", sha256.Type)},
			[]kmsg.AlterUserSCRAMCredentialsRequestUpsertion{upsertion("alice", sha256, 4096, "a")},
			map[string]int16{"alice": kerr.DuplicateResource.Code}},
		{"delete missing", []kmsg.AlterUserSCRAMCredentialsRequestDeletion{deletion("carol", sha256.Type)}, nil,
			map[string]int16{"carol": kerr.ResourceNotFound.Code}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			got := alterScram(f, tt.dels, tt.ups...)
			if len(got) != len(tt.want) {
				t.Fatalf("results %v, want %v", got, tt.want)
			}
			for u, code := range tt.want {
				if got[u] != code {
					t.Errorf("%q: code %d, want %d", u, got[u], code)
				}
			}
			for u, code := range tt.want {
				cfg, _ := f.admin.UserConfig(context.Background(), u)
				if (code == 0) != (len(cfg) > 0) {
					t.Errorf("%q stored %d credentials after code %d", u, len(cfg), code)
				}
			}
		})
	}
}

func TestDescribeUserScramCredentials(t *testing.T) {
	f := newFixture(t)
	alterScram(f, nil, upsertion("alice", kafkazk.ScramSHA256, 8192, "a"), upsertion("alice", kafkazk.ScramSHA512, 4096, "a"),
		upsertion("bob", kafkazk.ScramSHA512, 4096, "b"))
	cfg, _ := f.admin.UserConfig(context.Background(), "alice")
	if v := cfg["SCRAM-SHA-256"]; !strings.HasPrefix(v, "salt=c2FsdA==,stored_key=") || !strings.HasSuffix(v, ",iterations=8192") {
		t.Fatalf("stored %q", v)
	}
	describe := func(users ...string) *kmsg.DescribeUserSCRAMCredentialsResponse {
		req := kmsg.NewPtrDescribeUserSCRAMCredentialsRequest()
		for _, u := range users {
			req.Users = append(req.Users, kmsg.DescribeUserSCRAMCredentialsRequestUser{Name: u})
		}
		return f.call(req).(*kmsg.DescribeUserSCRAMCredentialsResponse)
	}
	all := describe()
	if len(all.Results) != 2 || all.Results[0].User != "alice" || len(all.Results[0].CredentialInfos) != 2 ||
		all.Results[0].CredentialInfos[0].Iterations != 8192 || all.Results[1].User != "bob" {
		t.Fatalf("describe all: %+v", all.Results)
	}
	some := describe("bob", "nobody", "", "alice", "alice")
	want := map[string]int16{"bob": 0, "nobody": kerr.ResourceNotFound.Code, "": kerr.ResourceNotFound.Code, "alice": kerr.DuplicateResource.Code}
	if len(some.Results) != len(want) {
		t.Fatalf("results %+v", some.Results)
	}
	for _, r := range some.Results {
		if r.ErrorCode != want[r.User] {
			t.Errorf("%q: code %d, want %d", r.User, r.ErrorCode, want[r.User])
		}
	}
	if code := alterScram(f, []kmsg.AlterUserSCRAMCredentialsRequestDeletion{deletion("bob", kafkazk.ScramSHA512.Type)})["bob"]; code != 0 {
		t.Fatalf("delete bob: %d", code)
	}
	if r := describe("bob").Results[0]; r.ErrorCode != kerr.ResourceNotFound.Code {
		t.Fatalf("bob after delete: %+v", r)
	}
}

// TestSaslRequestsOutOfPlace: SaslHandshake and SaslAuthenticate that reach
// the handler get ILLEGAL_SASL_STATE, as from Kafka's KafkaApis.
func TestSaslRequestsOutOfPlace(t *testing.T) {
	f := newFixture(t)
	hs := kmsg.NewPtrSASLHandshakeRequest()
	hs.Version, hs.Mechanism = 1, "PLAIN"
	if resp := f.call(hs).(*kmsg.SASLHandshakeResponse); resp.ErrorCode != kerr.IllegalSaslState.Code {
		t.Fatalf("handshake: %+v", resp)
	}
	auth := kmsg.NewPtrSASLAuthenticateRequest()
	auth.Version = 2
	if resp := f.call(auth).(*kmsg.SASLAuthenticateResponse); resp.ErrorCode != kerr.IllegalSaslState.Code || resp.ErrorMessage == nil {
		t.Fatalf("authenticate: %+v", resp)
	}
}
