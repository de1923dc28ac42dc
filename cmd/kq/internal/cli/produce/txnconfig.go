package produce

import (
	"errors"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/spf13/pflag"
)

// DefaultTransactionTimeoutMs is Kafka's producer transaction.timeout.ms.
const DefaultTransactionTimeoutMs = 60000

// transactionalConfig sets the transactional id and timeout from the flags
// or the client properties (transactional.id, transaction.timeout.ms), and
// refuses what Kafka's producer refuses with them.
func transactionalConfig(pc *admin.ProducerConfig, fl *pflag.FlagSet, pf producerFlags, props map[string]string) error {
	pc.TransactionalID = setting(fl, "transactional-id", pf.transactionalID, props, "transactional.id", "")
	timeout, err := intSetting(fl, "transaction-timeout-ms", pf.transactionTimeoutMs, props, "transaction.timeout.ms", DefaultTransactionTimeoutMs)
	if err != nil {
		return err
	}
	if pc.TransactionalID == "" {
		return nil
	}
	switch {
	case pc.Acks != admin.AcksAll:
		return errors.New("must set acks to all in order to use the transactional producer")
	case !pc.Idempotent:
		return errors.New("cannot set a transactional.id without also enabling idempotence")
	case timeout == 0:
		return errors.New("transaction.timeout.ms: want a positive number of milliseconds")
	}
	pc.TransactionTimeout = time.Duration(timeout) * time.Millisecond
	return nil
}
