package daemon

// MessageDownconversionEnable reports a topic's
// message.downconversion.enable: the handlers answer Fetch v0-3 for the
// topic with UNSUPPORTED_VERSION when it is off, as Kafka does.
func (c *configs) MessageDownconversionEnable(topic string) bool {
	return c.topic(topic).MessageDownconversionEnable
}
