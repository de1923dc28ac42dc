package admin

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"math/big"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// SCRAM mechanisms as the credential APIs number them.
var scramTypes = map[string]int8{"SCRAM-SHA-256": 1, "SCRAM-SHA-512": 2}

// scramHashes are the mechanisms' hashes, for salting a password.
var scramHashes = map[string]func() hash.Hash{"SCRAM-SHA-256": sha256.New, "SCRAM-SHA-512": sha512.New}

// IsScramMechanism reports SCRAM-SHA-256 and SCRAM-SHA-512.
func IsScramMechanism(name string) bool {
	_, ok := scramTypes[name]
	return ok
}

func scramName(t int8) string {
	for n, v := range scramTypes {
		if v == t {
			return n
		}
	}
	return fmt.Sprintf("UNKNOWN(%d)", t)
}

// ScramCredentialInfo is what a broker tells of a credential: its
// mechanism and iterations, never its keys.
type ScramCredentialInfo struct {
	Mechanism  string `json:"mechanism"`
	Iterations int32  `json:"iterations"`
}

// UserScram is one user's SCRAM credentials, or the error describing them.
type UserScram struct {
	User        string                `json:"user"`
	Credentials []ScramCredentialInfo `json:"credentials"`
	Err         error                 `json:"-"`
}

// ScramUpsert sets a user's credential for a mechanism from a password.
// The password is salted here and never sent.
type ScramUpsert struct {
	Mechanism  string
	Iterations int32
	Password   string
}

// DescribeUserScram describes the SCRAM credentials of users, or of every
// user with one when none is named (DescribeUserScramCredentials).
func (c *Client) DescribeUserScram(ctx context.Context, users ...string) ([]UserScram, error) {
	req := kmsg.NewPtrDescribeUserSCRAMCredentialsRequest()
	for _, u := range users {
		req.Users = append(req.Users, kmsg.DescribeUserSCRAMCredentialsRequestUser{Name: u})
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("describe user SCRAM credentials: %w", err)
	}
	r := resp.(*kmsg.DescribeUserSCRAMCredentialsResponse)
	if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
		return nil, fmt.Errorf("describe user SCRAM credentials: %w", err)
	}
	out := make([]UserScram, 0, len(r.Results))
	for _, res := range r.Results {
		u := UserScram{User: res.User, Err: kafkaError(res.ErrorCode, res.ErrorMessage)}
		for _, info := range res.CredentialInfos {
			u.Credentials = append(u.Credentials, ScramCredentialInfo{Mechanism: scramName(info.Mechanism), Iterations: info.Iterations})
		}
		out = append(out, u)
	}
	return out, nil
}

// AlterUserScram sets and removes one user's SCRAM credentials
// (AlterUserScramCredentials, answered by the controller).
func (c *Client) AlterUserScram(ctx context.Context, user string, upserts []ScramUpsert, deletes []string) error {
	req := kmsg.NewPtrAlterUserSCRAMCredentialsRequest()
	for _, m := range deletes {
		t, ok := scramTypes[m]
		if !ok {
			return fmt.Errorf("unknown SCRAM mechanism %s", m)
		}
		req.Deletions = append(req.Deletions, kmsg.AlterUserSCRAMCredentialsRequestDeletion{Name: user, Mechanism: t})
	}
	for _, up := range upserts {
		u, err := scramUpsertion(user, up)
		if err != nil {
			return err
		}
		req.Upsertions = append(req.Upsertions, u)
	}
	resp, err := c.request(ctx, req)
	if err != nil {
		return fmt.Errorf("alter SCRAM credentials of %s: %w", user, err)
	}
	for _, r := range resp.(*kmsg.AlterUserSCRAMCredentialsResponse).Results {
		if err := kafkaError(r.ErrorCode, r.ErrorMessage); err != nil {
			return fmt.Errorf("alter SCRAM credentials of %s: %w", r.User, err)
		}
	}
	return nil
}

// scramUpsertion salts the password as Kafka's admin client does: a
// random salt (the text of a 130-bit random number in base 36) and
// PBKDF2 with the mechanism's HMAC.
func scramUpsertion(user string, up ScramUpsert) (kmsg.AlterUserSCRAMCredentialsRequestUpsertion, error) {
	u := kmsg.NewAlterUserSCRAMCredentialsRequestUpsertion()
	t, ok := scramTypes[up.Mechanism]
	if !ok {
		return u, fmt.Errorf("unknown SCRAM mechanism %s", up.Mechanism)
	}
	if up.Iterations <= 0 {
		return u, fmt.Errorf("%s: %d iterations: must be positive", up.Mechanism, up.Iterations)
	}
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 130))
	if err != nil {
		return u, fmt.Errorf("random SCRAM salt: %w", err)
	}
	salt := []byte(n.Text(36))
	h := scramHashes[up.Mechanism]
	salted, err := pbkdf2.Key(h, up.Password, salt, int(up.Iterations), h().Size())
	if err != nil {
		return u, fmt.Errorf("salt the %s password: %w", up.Mechanism, err)
	}
	u.Name, u.Mechanism, u.Iterations, u.Salt, u.SaltedPassword = user, t, up.Iterations, salt, salted
	return u, nil
}
