package configs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
)

// Client quotas of users and client ids (kafka-configs --entity-type
// users|clients, --user, --client, --user-defaults, --client-defaults),
// read and written with DescribeClientQuotas and AlterClientQuotas.

// quotaAdmin is what the quota commands ask the cluster (*admin.Client,
// *admintest.Cluster).
type quotaAdmin interface {
	DescribeClientQuotas(ctx context.Context, filter []admin.QuotaFilterPart, strict bool) ([]admin.ClientQuota, error)
	AlterClientQuotas(ctx context.Context, entity []admin.QuotaEntityPart, set map[string]float64, remove []string) error
}

var _ quotaAdmin = (*admin.Client)(nil)

// QuotaEntity is a user, a client id, or both; a part's Name nil with
// Default set is the <default> entity; neither is "every entity of the
// type" (describe only).
type QuotaEntity struct {
	Parts []QuotaPart
}

// QuotaPart is one part of a QuotaEntity.
type QuotaPart struct {
	Type    string // admin.QuotaUser or admin.QuotaClientID
	Name    string
	Default bool
}

// QuotaOptions are the inputs of a quota describe or alter.
type QuotaOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (quotaAdmin, error)
	Output output.Format
	Entity QuotaEntity
	Set    map[string]float64
	Delete []string
	// Every describes every entity with quotas, whatever its parts (a
	// non-strict filter); otherwise only the entity named.
	Every bool
}

func quotaAdminFrom(f *factory.Factory) func() (quotaAdmin, error) {
	return func() (quotaAdmin, error) {
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		qa, ok := a.(quotaAdmin)
		if !ok {
			return nil, errors.New("this cluster client does not support client quotas")
		}
		return qa, nil
	}
}

// quotaTypeOf maps kafka-configs' entity types to the API's.
func quotaTypeOf(entityType string) (string, bool) {
	switch strings.ToLower(entityType) {
	case "users", "user":
		return admin.QuotaUser, true
	case "clients", "client":
		return admin.QuotaClientID, true
	}
	return "", false
}

// quotaShortcuts folds --user/--client/--user-defaults/--client-defaults
// into an entity; ok is false when none is given.
func (k *kafkaFlags) quotaShortcuts() (QuotaEntity, bool, error) {
	var e QuotaEntity
	if k.user != "" && k.userDefaults || k.client != "" && k.clientDefaults {
		return e, false, clierr.Usagef("give either a name or the defaults of an entity type, not both")
	}
	if k.user != "" || k.userDefaults {
		e.Parts = append(e.Parts, QuotaPart{Type: admin.QuotaUser, Name: k.user, Default: k.userDefaults})
	}
	if k.client != "" || k.clientDefaults {
		e.Parts = append(e.Parts, QuotaPart{Type: admin.QuotaClientID, Name: k.client, Default: k.clientDefaults})
	}
	return e, len(e.Parts) > 0, nil
}

func (e QuotaEntity) filter() []admin.QuotaFilterPart {
	out := make([]admin.QuotaFilterPart, 0, len(e.Parts))
	for _, p := range e.Parts {
		f := admin.QuotaFilterPart{Type: p.Type, Default: p.Default}
		if p.Name != "" {
			f.Name = &p.Name
		}
		out = append(out, f)
	}
	return out
}

func (e QuotaEntity) parts() []admin.QuotaEntityPart {
	out := make([]admin.QuotaEntityPart, 0, len(e.Parts))
	for _, p := range e.Parts {
		part := admin.QuotaEntityPart{Type: p.Type}
		if !p.Default {
			part.Name = &p.Name
		}
		out = append(out, part)
	}
	return out
}

// named says every part names an entity or its default, as an alteration
// needs.
func (e QuotaEntity) named() bool {
	for _, p := range e.Parts {
		if p.Name == "" && !p.Default {
			return false
		}
	}
	return true
}

// fillQuotaAlter parses --add-config values as Kafka does: every quota
// value a number.
func (o *QuotaOptions) fillQuotaAlter(add, addFile string, del []string) error {
	if !o.Entity.named() {
		return clierr.Usagef("an entity name is required to alter configs (or --entity-default)")
	}
	set, err := parseAddConfig(add)
	if err != nil {
		return clierr.Usage(err)
	}
	if addFile != "" {
		fileProps, err := admin.LoadProperties(addFile)
		if err != nil {
			return clierr.Usage(err)
		}
		for k, v := range fileProps {
			set[k] = v
		}
	}
	o.Set = map[string]float64{}
	for k, v := range set {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) {
			return clierr.Usagef("Cannot parse quota configuration value for %s: %s", k, v)
		}
		o.Set[k] = f
	}
	o.Delete = parseDeleteConfig(del)
	if len(o.Set) == 0 && len(o.Delete) == 0 {
		return clierr.Usagef("nothing to change: give --add-config, --add-config-file or --delete-config")
	}
	return nil
}

func quotaDescribeRun(ctx context.Context, opts *QuotaOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	quotas, err := a.DescribeClientQuotas(ctx, opts.Entity.filter(), !opts.Every)
	if err != nil {
		return err
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, quotas); done {
		return err
	}
	return writeQuotaDescribe(opts.IO.Out, quotas)
}

// writeQuotaDescribe prints kafka-configs' lines:
//
//	Quota configs for user-principal 'alice' are producer_byte_rate=1048576.0
func writeQuotaDescribe(w io.Writer, quotas []admin.ClientQuota) error {
	var b strings.Builder
	for _, q := range quotas {
		keys := make([]string, 0, len(q.Values))
		for k := range q.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		values := make([]string, len(keys))
		for i, k := range keys {
			values[i] = k + "=" + javaDouble(q.Values[k])
		}
		fmt.Fprintf(&b, "Quota configs for %s are %s\n", admin.QuotaEntityString(q.Entity), strings.Join(values, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func quotaAlterRun(ctx context.Context, opts *QuotaOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	if len(opts.Delete) > 0 {
		if err := checkQuotasDeletable(ctx, a, opts.Entity, opts.Delete); err != nil {
			return err
		}
	}
	if err := a.AlterClientQuotas(ctx, opts.Entity.parts(), opts.Set, opts.Delete); err != nil {
		return err
	}
	first := opts.Entity.Parts[0]
	typ := "user"
	if first.Type == admin.QuotaClientID {
		typ = "client"
	}
	if first.Default {
		_, err = fmt.Fprintf(opts.IO.Out, "Completed updating default config for %ss in the cluster.\n", typ)
	} else {
		_, err = fmt.Fprintf(opts.IO.Out, "Completed updating config for %s %s.\n", typ, first.Name)
	}
	return err
}

// checkQuotasDeletable refuses to delete quotas the entity does not set,
// as kafka-configs does.
func checkQuotasDeletable(ctx context.Context, a quotaAdmin, e QuotaEntity, names []string) error {
	quotas, err := a.DescribeClientQuotas(ctx, e.filter(), true)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	for _, q := range quotas {
		for k := range q.Values {
			set[k] = true
		}
	}
	var missing []string
	for _, n := range names {
		if !set[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("Invalid config(s): %s", strings.Join(missing, ","))
	}
	return nil
}

// javaDouble formats a value as Java's Double.toString, which
// kafka-configs prints: 1048576.0, 0.5, 1.048576E7.
func javaDouble(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e7 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	if a := math.Abs(v); a >= 1e-3 && a < 1e7 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'E', -1, 64) // 1.048576E+07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	n, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(n)
}

// quotaEntity reads a users or clients entity from --entity-type and
// --entity-name or the shortcuts; ok is false for topics and brokers.
func (k *kafkaFlags) quotaEntity() (QuotaEntity, bool, error) {
	short, hasShort, err := k.quotaShortcuts()
	if err != nil {
		return short, true, err
	}
	typ, isQuota := quotaTypeOf(k.entityType)
	switch {
	case hasShort && k.entityType != "":
		return short, true, clierr.Usagef("give the entity either with --entity-type/--entity-name or with --user/--client")
	case hasShort:
		return short, true, nil
	case !isQuota:
		return QuotaEntity{}, false, nil
	case k.isDefault && k.entityName != "":
		return QuotaEntity{}, true, clierr.Usagef("give either an entity name or --entity-default")
	}
	return QuotaEntity{Parts: []QuotaPart{{Type: typ, Name: k.entityName, Default: k.isDefault}}}, true, nil
}

func (k *kafkaFlags) dispatchQuota(cmd *cobra.Command, f *factory.Factory, r *Runners, e QuotaEntity) error {
	opts := &QuotaOptions{IO: f.IOStreams, Admin: quotaAdminFrom(f), Output: f.Output(), Entity: e}
	if k.all {
		return clierr.Usagef("--all is only for topics and brokers")
	}
	if k.describe {
		if k.add != "" || k.addFile != "" || len(k.del) > 0 {
			return clierr.Usagef("--add-config and --delete-config go with --alter")
		}
		return run(cmd.Context(), opts, r.QuotaDescribe, quotaDescribeRun)
	}
	if err := opts.fillQuotaAlter(k.add, k.addFile, k.del); err != nil {
		return err
	}
	return run(cmd.Context(), opts, r.QuotaAlter, quotaAlterRun)
}
