package configs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Users' configs are their SCRAM credentials, as kafka-configs handles
// them: --add-config 'SCRAM-SHA-256=[iterations=8192,password=secret]',
// --delete-config SCRAM-SHA-256, and --describe showing mechanisms and
// iterations only. Through a broker they use the SCRAM credential APIs
// (the password is salted here, never sent); with --zookeeper they are
// written to /config/users/<user> with a change notification, which is
// how the first admin user is created before any broker runs.

// Kafka's iteration bounds: kafka-configs refuses fewer than the minimum,
// the brokers more than the maximum.
const (
	scramDefaultIterations = 4096
	scramMinIterations     = 4096
	scramMaxIterations     = 16384
)

// scramAdmin is where users' credentials are read and written: a broker
// (admin.Client) or ZooKeeper (zooKeeperUsers).
type scramAdmin interface {
	DescribeUserScram(ctx context.Context, users ...string) ([]admin.UserScram, error)
	AlterUserScram(ctx context.Context, user string, upserts []admin.ScramUpsert, deletes []string) error
}

// UsersOptions are the inputs of `kq configs` for users.
type UsersOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (scramAdmin, error)
	Output output.Format
	// User is the user; "" describes every user with a credential.
	User     string
	Describe bool
	Upserts  []admin.ScramUpsert
	Deletes  []string
	// ZooKeeper says the credentials are written to ZooKeeper directly.
	ZooKeeper bool
	// AfterQuotas: the user's quotas were printed before; a user without
	// credentials is then no error.
	AfterQuotas bool
}

func isUsersType(s string) bool {
	s = strings.ToLower(s)
	return s == "users" || s == "user"
}

// usersAdminFrom is the brokers' admin, or ZooKeeper when --zookeeper is given.
func usersAdminFrom(f *factory.Factory, zk zkTarget) func() (scramAdmin, error) {
	return func() (scramAdmin, error) {
		if zk.connect != "" {
			return dialZooKeeperUsers(f, zk)
		}
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		s, ok := a.(scramAdmin)
		if !ok {
			return nil, fmt.Errorf("this admin client cannot manage SCRAM credentials")
		}
		return s, nil
	}
}

// fillAlter parses a users alteration: SCRAM mechanisms only.
func (o *UsersOptions) fillAlter(add map[string]string, del []string) error {
	if o.User == "" {
		return clierr.Usagef("an entity name is required to alter configs of users")
	}
	for _, m := range slices.Sorted(maps.Keys(add)) {
		up, err := parseScramConfig(m, add[m])
		if err != nil {
			return err
		}
		o.Upserts = append(o.Upserts, up)
	}
	for _, m := range del {
		if !admin.IsScramMechanism(m) {
			return clierr.Usagef("Only SCRAM credential configs can be deleted for 'users' together with SCRAM credentials: alter quotas in a separate call. Unexpected config names: %s", m)
		}
		o.Deletes = append(o.Deletes, m)
	}
	if len(o.Upserts) == 0 && len(o.Deletes) == 0 {
		return clierr.Usagef("nothing to change: give --add-config or --delete-config")
	}
	return nil
}

// scramValue is kafka-configs' credential syntax (brackets already removed).
var scramValue = regexp.MustCompile(`^(?:iterations=(-?[0-9]*),)?password=(.*)$`)

// parseScramConfig reads "iterations=N,password=P" for a mechanism.
// Errors never quote the password.
func parseScramConfig(mechanism, value string) (admin.ScramUpsert, error) {
	if !admin.IsScramMechanism(mechanism) {
		return admin.ScramUpsert{}, clierr.Usagef("Only SCRAM credential configs can be added for 'users' together with SCRAM credentials: alter quotas in a separate call. Unexpected config names: %s", mechanism)
	}
	m := scramValue.FindStringSubmatch(value)
	if m == nil {
		return admin.ScramUpsert{}, clierr.Usagef("Invalid credential property %s: want %s=[iterations=N,password=SECRET]", mechanism, mechanism)
	}
	iterations := int64(scramDefaultIterations)
	if m[1] != "" && m[1] != "-1" {
		n, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return admin.ScramUpsert{}, clierr.Usagef("Invalid credential property %s: iterations %q is not a 32-bit integer", mechanism, m[1])
		}
		iterations = n
	}
	switch {
	case iterations < scramMinIterations:
		return admin.ScramUpsert{}, clierr.Usagef("Iterations %d is less than the minimum %d required for %s", iterations, scramMinIterations, mechanism)
	case iterations > scramMaxIterations:
		return admin.ScramUpsert{}, clierr.Usagef("Iterations %d is more than the maximum %d the brokers accept for %s", iterations, scramMaxIterations, mechanism)
	case m[2] == "":
		return admin.ScramUpsert{}, clierr.Usagef("Invalid credential property %s: the password is empty", mechanism)
	}
	return admin.ScramUpsert{Mechanism: mechanism, Iterations: int32(iterations), Password: m[2]}, nil
}

func usersRun(ctx context.Context, opts *UsersOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if opts.Describe {
		return describeUsers(ctx, opts, a)
	}
	if err := a.AlterUserScram(ctx, opts.User, opts.Upserts, opts.Deletes); err != nil {
		if errors.Is(err, kerr.ResourceNotFound) {
			return clierr.NotFoundf("%v", err)
		}
		return err
	}
	if opts.ZooKeeper {
		_, err = fmt.Fprintf(opts.IO.Out, "Completed updating config for entity: user-principal '%s'.\n", opts.User)
	} else {
		_, err = fmt.Fprintf(opts.IO.Out, "Completed updating config for user %s.\n", opts.User)
	}
	return err
}

// describeUsers prints kafka-configs' lines:
//
//	SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192
func describeUsers(ctx context.Context, opts *UsersOptions, a scramAdmin) error {
	var names []string
	if opts.User != "" {
		names = []string{opts.User}
	}
	users, err := a.DescribeUserScram(ctx, names...)
	if err != nil {
		return err
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, users); done {
		return err
	}
	var notFound error
	for _, u := range users {
		if u.Err != nil && opts.AfterQuotas && errors.Is(u.Err, kerr.ResourceNotFound) {
			continue // the user's quotas were shown; having no credential is no error then
		}
		if u.Err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "Error retrieving SCRAM credential configs for user-principal '%s': %v\n", u.User, u.Err)
			if errors.Is(u.Err, kerr.ResourceNotFound) {
				notFound = clierr.NotFoundf("user %s has no SCRAM credentials", u.User)
			}
			continue
		}
		if err := writeUserScram(opts.IO.Out, u); err != nil {
			return err
		}
	}
	return notFound
}

func writeUserScram(w io.Writer, u admin.UserScram) error {
	if len(u.Credentials) == 0 {
		return nil // a user with quotas only: kafka-configs prints no credential line
	}
	parts := make([]string, len(u.Credentials))
	for i, c := range u.Credentials {
		parts[i] = fmt.Sprintf("%s=iterations=%d", c.Mechanism, c.Iterations)
	}
	_, err := fmt.Fprintf(w, "SCRAM credential configs for user-principal '%s' are %s\n", u.User, strings.Join(parts, ", "))
	return err
}

// scramUsers reports whether a users command is about SCRAM credentials:
// with --zookeeper, with SCRAM keys to add or delete, or a describe of
// users (which shows quotas, then credentials). Quota keys and the
// --user/--client shortcuts go to the quota path; both kinds of keys in
// one alteration are refused by the credential path's key check.
func (k *kafkaFlags) scramUsers() bool {
	if !isUsersType(k.entityType) || k.user != "" || k.client != "" || k.userDefaults || k.clientDefaults || k.isDefault {
		return false
	}
	return k.zk.connect != "" || k.describe || k.hasScramKeys()
}

// hasScramKeys reports SCRAM mechanisms among the keys to add or delete.
func (k *kafkaFlags) hasScramKeys() bool {
	for _, key := range append(strings.Split(k.add, ","), k.del...) {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(key)), "SCRAM-") {
			return true
		}
	}
	return false
}
