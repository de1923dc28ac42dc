package admin

import "context"

// ValidateConfigChanges asks the broker whether it would accept changes to
// res, without making them: IncrementalAlterConfigs with validate_only,
// so a preview can show the broker's refusal (an unknown config, a value
// of the wrong type) before anything is asked to change. A broker older
// than Kafka 2.3, without the API, cannot say: nil.
func (c *Client) ValidateConfigChanges(ctx context.Context, res Resource, changes []ConfigChange) error {
	err := c.incrementalAlterConfigs(ctx, res, changes, true)
	if isUnsupportedAPI(err) {
		return nil
	}
	return err
}
