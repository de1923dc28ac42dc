package kafkazk

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/kqhq/kq/store/meta/znode"
)

// ScramMechanism is one of Kafka's SCRAM mechanisms: its name (the key of
// its credential in /config/users/<user>), its type byte in the
// DescribeUserScramCredentials and AlterUserScramCredentials APIs, and its
// hash.
type ScramMechanism struct {
	Name string
	Type int8
	Hash func() hash.Hash
}

// Kafka's SCRAM mechanisms and the iteration bounds it enforces: fewer than
// ScramMinIterations fails authentication, and AlterUserScramCredentials
// refuses more than ScramMaxIterations.
var (
	ScramSHA256 = ScramMechanism{Name: "SCRAM-SHA-256", Type: 1, Hash: sha256.New}
	ScramSHA512 = ScramMechanism{Name: "SCRAM-SHA-512", Type: 2, Hash: sha512.New}
)

const (
	ScramMinIterations = 4096
	ScramMaxIterations = 16384
)

// ScramMechanisms lists the mechanisms in Kafka's order.
var ScramMechanisms = []ScramMechanism{ScramSHA256, ScramSHA512}

// ScramMechanismNamed finds a mechanism by name ("SCRAM-SHA-256").
func ScramMechanismNamed(name string) (ScramMechanism, bool) {
	i := slices.IndexFunc(ScramMechanisms, func(m ScramMechanism) bool { return m.Name == name })
	if i < 0 {
		return ScramMechanism{}, false
	}
	return ScramMechanisms[i], true
}

// ScramMechanismOfType finds a mechanism by its API type byte.
func ScramMechanismOfType(t int8) (ScramMechanism, bool) {
	i := slices.IndexFunc(ScramMechanisms, func(m ScramMechanism) bool { return m.Type == t })
	if i < 0 {
		return ScramMechanism{}, false
	}
	return ScramMechanisms[i], true
}

// ScramCredential is what a broker keeps of a SCRAM password (RFC 5802):
// never the password, only what verifies a proof.
type ScramCredential struct {
	Salt, StoredKey, ServerKey []byte
	Iterations                 int32
}

// String is Kafka's stored form (ScramCredentialUtils):
// salt=<b64>,stored_key=<b64>,server_key=<b64>,iterations=<n>.
func (c ScramCredential) String() string {
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("salt=%s,stored_key=%s,server_key=%s,iterations=%d",
		enc(c.Salt), enc(c.StoredKey), enc(c.ServerKey), c.Iterations)
}

// errCredentialFormat never quotes the value: it holds key material.
var errCredentialFormat = errors.New("SCRAM credential is not of the form salt=..,stored_key=..,server_key=..,iterations=..")

// ParseScramCredential reads the stored form, with Kafka's rules: exactly
// the four keys, base64 values and a positive decimal iteration count.
func ParseScramCredential(s string) (ScramCredential, error) {
	fields := map[string]string{}
	for _, tok := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(tok, "=")
		if !ok || k == "" {
			return ScramCredential{}, errCredentialFormat
		}
		fields[k] = v
	}
	if len(fields) != 4 {
		return ScramCredential{}, errCredentialFormat
	}
	var c ScramCredential
	for key, dst := range map[string]*[]byte{"salt": &c.Salt, "stored_key": &c.StoredKey, "server_key": &c.ServerKey} {
		v, ok := fields[key]
		if !ok {
			return ScramCredential{}, errCredentialFormat
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return ScramCredential{}, fmt.Errorf("SCRAM credential field %s is not base64", key)
		}
		*dst = b
	}
	n, err := strconv.ParseInt(fields["iterations"], 10, 32)
	if err != nil || n <= 0 {
		return ScramCredential{}, errors.New("SCRAM credential iterations is not a positive 32-bit integer")
	}
	c.Iterations = int32(n)
	return c, nil
}

// SaltPassword is Hi(password, salt, i) of RFC 5802: PBKDF2 with the
// mechanism's HMAC. Kafka takes the password's UTF-8 bytes as they are
// (no SASLprep).
func (m ScramMechanism) SaltPassword(password string, salt []byte, iterations int32) ([]byte, error) {
	if iterations <= 0 {
		return nil, fmt.Errorf("%d SCRAM iterations: must be positive", iterations)
	}
	return pbkdf2.Key(m.Hash, password, salt, int(iterations), m.Hash().Size())
}

// Credential derives the stored credential from a salted password:
// StoredKey = H(HMAC(salted, "Client Key")), ServerKey = HMAC(salted, "Server Key").
func (m ScramMechanism) Credential(saltedPassword, salt []byte, iterations int32) ScramCredential {
	clientKey := m.HMAC(saltedPassword, []byte("Client Key"))
	h := m.Hash()
	h.Write(clientKey)
	return ScramCredential{
		Salt: slices.Clone(salt), StoredKey: h.Sum(nil),
		ServerKey: m.HMAC(saltedPassword, []byte("Server Key")), Iterations: iterations,
	}
}

// HMAC is the mechanism's HMAC of msg under key.
func (m ScramMechanism) HMAC(key, msg []byte) []byte {
	mac := hmac.New(m.Hash, key)
	mac.Write(msg)
	return mac.Sum(nil)
}

// NewCredential salts password with a fresh random salt, as Kafka's
// ScramFormatter.generateCredential does (the salt is the ASCII text of a
// 130-bit random number in base 36).
func (m ScramMechanism) NewCredential(password string, iterations int32) (ScramCredential, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 130))
	if err != nil {
		return ScramCredential{}, fmt.Errorf("random SCRAM salt: %w", err)
	}
	salt := []byte(n.Text(36))
	salted, err := m.SaltPassword(password, salt, iterations)
	if err != nil {
		return ScramCredential{}, err
	}
	return m.Credential(salted, salt, iterations), nil
}

// UserConfig returns the dynamic config of a user (/config/users/<user>,
// the name sanitized as Kafka does): SCRAM credentials by mechanism name
// and quotas.
func (c *Client) UserConfig(ctx context.Context, user string) (map[string]string, error) {
	return c.EntityConfig(ctx, znode.ConfigTypeUser, znode.SanitizeEntityName(user))
}

// SetUserConfig replaces a user's dynamic config and notifies every broker
// (/config/changes), as Kafka's AdminZkClient.changeConfigs does.
func (c *Client) SetUserConfig(ctx context.Context, user string, cfg map[string]string) error {
	return c.SetEntityConfig(ctx, znode.ConfigTypeUser, znode.SanitizeEntityName(user), cfg)
}

// Users lists the users with a config znode, desanitized, in name order.
func (c *Client) Users(ctx context.Context) ([]string, error) {
	parent := znode.ConfigEntityTypePath(znode.ConfigTypeUser)
	names, _, err := c.store.Children(ctx, parent)
	if isNoNode(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", parent, err)
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		user, err := znode.DesanitizeEntityName(n)
		if err != nil {
			c.log.Warn("skipping user config with a malformed name", "znode", n)
			continue
		}
		out = append(out, user)
	}
	slices.Sort(out)
	return out, nil
}
