package configs

import (
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// entityShortcuts are kafka-configs' flags that stand for --entity-type T
// --entity-name NAME; what each entity type means is the entity code's
// business (parseEntityType). --user, --client and their defaults, which
// combine into user+client-id quota entities, are the quota code's
// (quotaShortcuts).
var entityShortcuts = []struct{ flag, entityType, usage string }{
	{"ip", "ips", "Shortcut for --entity-type ips --entity-name IP"},
	{"broker-logger", "broker-loggers", "Shortcut for --entity-type broker-loggers --entity-name ID"},
	{"client-metrics", "client-metrics", "Shortcut for --entity-type client-metrics --entity-name NAME"},
}

// defaultShortcuts stand for --entity-type T --entity-default.
var defaultShortcuts = []struct{ flag, entityType, usage string }{
	{"ip-defaults", "ips", "Shortcut for --entity-type ips --entity-default"},
}

// refusedFlags are kafka-configs flags whose meaning cannot apply to kq.
var refusedFlags = []struct{ flag, usage, reason string }{
	{"bootstrap-controller", "Refused: kq runs in ZooKeeper mode and has no KRaft controller", "it reaches a KRaft controller, and kq runs in ZooKeeper mode: use --bootstrap-server"},
}

func registerShortcuts(cmd *cobra.Command) {
	fl := cmd.Flags()
	for _, s := range entityShortcuts {
		fl.String(s.flag, "", s.usage)
	}
	for _, s := range defaultShortcuts {
		fl.Bool(s.flag, false, s.usage)
	}
	for _, r := range refusedFlags {
		fl.String(r.flag, "", r.usage)
	}
	fl.Bool("force", false, "Suppress console prompts (kq configs never prompts)")
}

// applyShortcuts folds the shortcuts above into --entity-type,
// --entity-name and --entity-default, as kafka-configs.sh does, and
// returns the shortcut's flag ("" when none was given).
func (k *kafkaFlags) applyShortcuts(fl *pflag.FlagSet) (string, error) {
	for _, r := range refusedFlags {
		if fl.Changed(r.flag) {
			return "", clierr.Usagef("--%s is refused: %s", r.flag, r.reason)
		}
	}
	quotaShortcut := k.user != "" || k.client != "" || k.userDefaults || k.clientDefaults
	if quotaShortcut && (k.topic != "" || k.broker != "" || k.brokerDefaults) {
		return "", clierr.Usagef("give one entity: --entity-type/--entity-name or one of the shortcuts (--topic, --broker, --user, --client, ...)")
	}
	var typ, name, flag string
	var isDefault bool
	n := 0
	for _, s := range entityShortcuts {
		if fl.Changed(s.flag) {
			v, _ := fl.GetString(s.flag) // registered above as a string
			typ, name, flag, n = s.entityType, v, s.flag, n+1
		}
	}
	for _, s := range defaultShortcuts {
		if fl.Changed(s.flag) {
			typ, isDefault, flag, n = s.entityType, true, s.flag, n+1
		}
	}
	switch {
	case n == 0:
		return "", nil
	case n > 1 || k.topic != "" || k.broker != "" || k.brokerDefaults || k.user != "" || k.client != "" || k.userDefaults || k.clientDefaults:
		return "", clierr.Usagef("give one entity: --entity-type/--entity-name or one of the shortcuts (--topic, --broker, --user, --client, ...)")
	case k.entityType != "" || k.entityName != "" || k.isDefault:
		return "", clierr.Usagef("--entity-{type,name,default} should not be used in conjunction with specific entity flags (--%s)", flag)
	}
	k.entityType, k.entityName, k.isDefault = typ, name, isDefault
	return flag, nil
}

// foldScramUser turns `--user U` with SCRAM keys to add or delete, or to
// describe (quotas, then credentials), into
// --entity-type users --entity-name U, as kafka-configs.sh takes it, so it
// reaches the credentials code rather than the quota code.
func (k *kafkaFlags) foldScramUser() {
	if k.user == "" || k.client != "" || k.userDefaults || k.clientDefaults || k.entityType != "" || !(k.hasScramKeys() || k.describe) {
		return
	}
	k.entityType, k.entityName, k.user = "users", k.user, ""
}
